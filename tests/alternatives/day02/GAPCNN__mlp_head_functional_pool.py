class GAPCNN(nn.Module):
    """Two conv stages of two convs each, then a small MLP head on the pooled features."""

    def __init__(self, num_classes, in_channels=3):
        super().__init__()
        def stage(c_in, c_out):
            return [nn.Conv2d(c_in, c_out, 3, padding=1), nn.ReLU(), nn.Conv2d(c_out, c_out, 3, padding=1), nn.ReLU()]
        self.features = nn.Sequential(*stage(in_channels, 16), nn.MaxPool2d(2), *stage(16, 48))
        self.head = nn.Sequential(nn.Linear(48, 32), nn.ReLU(), nn.Linear(32, num_classes))

    def forward(self, x):
        x = F.adaptive_avg_pool2d(F.relu(self.features(x)), 1).flatten(1)
        return self.head(x)
