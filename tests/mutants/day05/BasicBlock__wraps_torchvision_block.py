class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        down = None
        if stride != 1 or in_channels != out_channels:
            down = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                                 nn.BatchNorm2d(out_channels))
        self.block = torchvision.models.resnet.BasicBlock(in_channels, out_channels, stride, downsample=down)

    def forward(self, x):
        return self.block(x)
