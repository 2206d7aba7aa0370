class InceptionBlock(nn.Module):
    def __init__(self, in_channels, c1, c3_reduce, c3, c5_reduce, c5, pool_proj):
        super().__init__()
        self.b1 = nn.Conv2d(in_channels, c1, 1)
        self.b2 = nn.ModuleList([nn.Conv2d(in_channels, c3_reduce, 1), nn.Conv2d(c3_reduce, c3, 3, padding=1)])
        self.b3 = nn.ModuleList([nn.Conv2d(in_channels, c5_reduce, 1), nn.Conv2d(c5_reduce, c5, 5, padding=2)])
        self.b4 = nn.Conv2d(in_channels, pool_proj, 1)

    def forward(self, x):
        outs = [F.relu(self.b1(x))]
        for reduce, conv in (self.b2, self.b3):
            outs.append(F.relu(conv(F.relu(reduce(x)))))
        outs.append(F.relu(self.b4(F.max_pool2d(x, kernel_size=3, stride=1, padding=1))))
        return torch.cat(outs, 1)
