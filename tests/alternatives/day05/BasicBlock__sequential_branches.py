class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.residual = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False),
            nn.BatchNorm2d(out_channels),
        )
        needs_projection = stride != 1 or in_channels != out_channels
        self.project = (nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride, bias=False),
                                      nn.BatchNorm2d(out_channels)) if needs_projection else None)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        identity = x if self.project is None else self.project(x)
        out = self.residual(x)
        out += identity
        return self.relu(out)
