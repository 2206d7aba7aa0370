from collections import OrderedDict


class LeNet5(nn.Module):
    def __init__(self, num_classes: int = 10):
        super().__init__()
        self.head = nn.Sequential(OrderedDict([
            ("fc1", nn.Linear(16 * 25, 120)), ("tanh1", nn.Tanh()),
            ("fc2", nn.Linear(120, 84)), ("tanh2", nn.Tanh()),
            ("fc3", nn.Linear(84, num_classes)),
        ]))
        self.body = nn.Sequential(OrderedDict([
            ("conv1", nn.Conv2d(1, 6, (5, 5))), ("tanh1", nn.Tanh()), ("pool1", nn.AvgPool2d((2, 2))),
            ("conv2", nn.Conv2d(6, 16, (5, 5))), ("tanh2", nn.Tanh()), ("pool2", nn.AvgPool2d((2, 2), stride=2)),
        ]))

    def forward(self, images):
        return self.head(self.body(images).reshape(images.shape[0], -1))
