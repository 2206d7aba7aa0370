class BasicBlock(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, stride: int = 1) -> None:
        super().__init__()
        # the shortcut is registered first and runs first
        self.down = nn.Sequential()
        if (in_channels, stride) != (out_channels, 1):
            self.down.add_module("conv", nn.Conv2d(in_channels, out_channels, kernel_size=1, stride=stride, bias=False))
            self.down.add_module("bn", nn.BatchNorm2d(out_channels))
        self.c1 = nn.Conv2d(in_channels, out_channels, kernel_size=3, stride=stride, padding=1, bias=False)
        self.n1 = nn.BatchNorm2d(out_channels)
        self.c2 = nn.Conv2d(out_channels, out_channels, kernel_size=3, padding=1, bias=False)
        self.n2 = nn.BatchNorm2d(out_channels)

    def forward(self, x):
        skip = self.down(x)
        h = torch.relu(self.n1(self.c1(x)))
        return torch.relu(torch.add(self.n2(self.c2(h)), skip))
