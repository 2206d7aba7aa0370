# Write the class InceptionBlock(nn.Module) here, with
# __init__(self, in_channels, c1, c3_reduce, c3, c5_reduce, c5, pool_proj) and forward(self, x).
class InceptionBlock(nn.Module):
    def __init__(self, in_channels, c1, c3_reduce, c3, c5_reduce, c5, pool_proj):
        super().__init__()
        self.branch1 = nn.Sequential(nn.Conv2d(in_channels, c1, kernel_size=1), nn.ReLU())
        self.branch3 = nn.Sequential(
            nn.Conv2d(in_channels, c3_reduce, kernel_size=1), nn.ReLU(),
            nn.Conv2d(c3_reduce, c3, kernel_size=3, padding=1), nn.ReLU(),
        )
        self.branch5 = nn.Sequential(
            nn.Conv2d(in_channels, c5_reduce, kernel_size=1), nn.ReLU(),
            nn.Conv2d(c5_reduce, c5, kernel_size=5, padding=2), nn.ReLU(),
        )
        self.branch_pool = nn.Sequential(
            nn.MaxPool2d(kernel_size=3, stride=1),
            nn.Conv2d(in_channels, pool_proj, kernel_size=1), nn.ReLU(),
        )

    def forward(self, x):
        branches = [self.branch1, self.branch3, self.branch5, self.branch_pool]
        return torch.cat([branch(x) for branch in branches], dim=1)
