from collections import OrderedDict


class SmallCNN(nn.Module):
    def __init__(self, num_classes=2):
        super().__init__()
        # created head first: the order of attributes does not matter, forward decides what runs
        self.classifier = nn.Sequential(OrderedDict([
            ("flatten", nn.Flatten()),
            ("fc1", nn.Linear(8192, 64)),
            ("relu", nn.ReLU(inplace=True)),
            ("fc2", nn.Linear(64, num_classes)),
        ]))
        self.features = nn.Sequential(OrderedDict([
            ("conv1", nn.Conv2d(3, 16, 3, padding="same")),
            ("relu1", nn.ReLU(inplace=True)),
            ("pool1", nn.MaxPool2d(kernel_size=2, stride=2)),
            ("conv2", nn.Conv2d(16, 32, 3, padding="same")),
            ("relu2", nn.ReLU(inplace=True)),
            ("pool2", nn.MaxPool2d(kernel_size=2, stride=2)),
        ]))

    def forward(self, images):
        features = self.features(images)
        return self.classifier(features)
