class SmallCNN(nn.Module):
    def __init__(self, num_classes: int = 2):
        super().__init__()
        layers = []
        for c_in, c_out in ((3, 16), (16, 32)):
            layers += [nn.Conv2d(c_in, c_out, (3, 3), stride=1, padding=(1, 1)), nn.ReLU(), nn.MaxPool2d((2, 2))]
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Flatten(start_dim=1), nn.Linear(32 * 16 * 16, 64), nn.ReLU(),
                                        nn.Linear(64, num_classes))

    def forward(self, x):
        x = self.features(x)
        x = self.classifier(x)
        return x
