class InceptionBlock(nn.Module):
    def __init__(self, in_channels, c1, c3_reduce, c3, c5_reduce, c5, pool_proj):
        super().__init__()
        self.widths = (c1, c3, c5, pool_proj)
        self.pool = nn.MaxPool2d(3, stride=1, padding=1)
        self.proj = nn.Conv2d(in_channels, pool_proj, 1)       # registered before the others on purpose
        self.one = nn.Conv2d(in_channels, c1, 1)
        self.red3, self.conv3 = nn.Conv2d(in_channels, c3_reduce, 1), nn.Conv2d(c3_reduce, c3, 3, padding="same")
        self.red5, self.conv5 = nn.Conv2d(in_channels, c5_reduce, 1), nn.Conv2d(c5_reduce, c5, 5, padding="same")
        self.act = nn.ReLU()

    def forward(self, x):
        b, _, h, w = x.shape
        out = x.new_empty(b, sum(self.widths), h, w)
        parts = [self.one(x), self.conv3(self.act(self.red3(x))), self.conv5(self.act(self.red5(x))),
                 self.proj(self.pool(x))]
        start = 0
        for part in parts:
            out[:, start:start + part.shape[1]] = self.act(part)
            start += part.shape[1]
        return out
