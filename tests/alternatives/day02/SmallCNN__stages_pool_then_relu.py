class Stage(nn.Module):
    # conv, then pool, then ReLU: max-pool and ReLU commute, and pooling first makes the ReLU 4x cheaper
    def __init__(self, c_in, c_out):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, 3, padding=1, bias=False)

    def forward(self, x):
        return torch.relu(F.max_pool2d(self.conv(x), kernel_size=2))


class SmallCNN(nn.Module):
    def __init__(self, num_classes=2):
        super().__init__()
        self.features = nn.Sequential(Stage(3, 24), Stage(24, 48))
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(48 * 16 * 16, 32),
            nn.GELU(),
            nn.Dropout(0.5),
            nn.Linear(32, num_classes),
        )

    def forward(self, x):
        h = self.features(x)
        return self.classifier(h)
