class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.layers = nn.ModuleDict({
            "conv_a": nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False),
            "bn_a": nn.BatchNorm2d(out_channels),
            "conv_b": nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False),
            "bn_b": nn.BatchNorm2d(out_channels),
        })
        self.has_projection = stride != 1 or in_channels != out_channels
        if self.has_projection:
            self.proj_conv = nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False)
            self.proj_bn = nn.BatchNorm2d(out_channels)

    def forward(self, x):
        L = self.layers
        y = L["bn_b"](L["conv_b"](F.relu(L["bn_a"](L["conv_a"](x)))))
        s = self.proj_bn(self.proj_conv(x)) if self.has_projection else x
        return F.relu(y + s)
