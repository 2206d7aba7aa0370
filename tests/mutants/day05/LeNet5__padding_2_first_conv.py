# the reference answer with this mistake: padding 2 first conv
# --- reference
            nn.Conv2d(1, 6, kernel_size=5),
# +++ variant
            nn.Conv2d(1, 6, kernel_size=5, padding=2),
# --- reference
            nn.Linear(16 * 5 * 5, 120),
# +++ variant
            nn.Linear(16 * 6 * 6, 120),
