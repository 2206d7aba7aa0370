# the reference answer with this mistake: five by five padding 1
# --- reference
            nn.Conv2d(c5_reduce, c5, kernel_size=5, padding=2), nn.ReLU(),
# +++ variant
            nn.Conv2d(c5_reduce, c5, kernel_size=5, padding=1), nn.ReLU(),
