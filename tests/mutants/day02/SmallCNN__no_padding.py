# the reference answer with this mistake: no padding
# --- reference
            nn.Conv2d(3, 16, kernel_size=3, padding=1),
# +++ variant
            nn.Conv2d(3, 16, kernel_size=3),
# --- reference
            nn.Conv2d(16, 32, kernel_size=3, padding=1),
# +++ variant
            nn.Conv2d(16, 32, kernel_size=3),
