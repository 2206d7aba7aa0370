# the reference answer with this mistake: no final relu
# --- reference
        self.branch1 = nn.Sequential(nn.Conv2d(in_channels, c1, kernel_size=1), nn.ReLU())
# +++ variant
        self.branch1 = nn.Sequential(nn.Conv2d(in_channels, c1, kernel_size=1))
# --- reference
            nn.Conv2d(c3_reduce, c3, kernel_size=3, padding=1), nn.ReLU(),
# +++ variant
            nn.Conv2d(c3_reduce, c3, kernel_size=3, padding=1),
# --- reference
            nn.Conv2d(c5_reduce, c5, kernel_size=5, padding=2), nn.ReLU(),
# +++ variant
            nn.Conv2d(c5_reduce, c5, kernel_size=5, padding=2),
# --- reference
            nn.Conv2d(in_channels, pool_proj, kernel_size=1), nn.ReLU(),
# +++ variant
            nn.Conv2d(in_channels, pool_proj, kernel_size=1),
