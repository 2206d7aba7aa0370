def _conv_relu(c_in, c_out, k):
    return [nn.Conv2d(c_in, c_out, kernel_size=k, padding=k // 2), nn.ReLU(inplace=True)]


class InceptionBlock(nn.Module):
    def __init__(self, in_channels, c1, c3_reduce, c3, c5_reduce, c5, pool_proj):
        super().__init__()
        self.branches = nn.ModuleList([
            nn.Sequential(*_conv_relu(in_channels, c1, 1)),
            nn.Sequential(*_conv_relu(in_channels, c3_reduce, 1), *_conv_relu(c3_reduce, c3, 3)),
            nn.Sequential(*_conv_relu(in_channels, c5_reduce, 1), *_conv_relu(c5_reduce, c5, 5)),
            nn.Sequential(nn.MaxPool2d(3, 1, 1), *_conv_relu(in_channels, pool_proj, 1)),
        ])
        self.out_channels = c1 + c3 + c5 + pool_proj

    def forward(self, x):
        return torch.cat(tuple(b(x) for b in self.branches), dim=1)
