# the reference answer with this mistake: no relu after reduce
# --- reference
            nn.Conv2d(in_channels, c3_reduce, kernel_size=1), nn.ReLU(),
# +++ variant
            nn.Conv2d(in_channels, c3_reduce, kernel_size=1),
# --- reference
            nn.Conv2d(in_channels, c5_reduce, kernel_size=1), nn.ReLU(),
# +++ variant
            nn.Conv2d(in_channels, c5_reduce, kernel_size=1),
