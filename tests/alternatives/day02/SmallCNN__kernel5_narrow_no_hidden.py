class SmallCNN(nn.Module):
    # 5x5 kernels (padding 2 keeps 64x64), 8 and 16 channels, and a head without a hidden layer
    def __init__(self, num_classes=2):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, kernel_size=5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(8, 16, kernel_size=5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Dropout(0.25),
            nn.Linear(16 * 16 * 16, num_classes),
        )

    def forward(self, x):
        return self.classifier(self.features(x))
