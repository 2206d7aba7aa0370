# the reference answer with this mistake: missing relu in features
# --- reference
            nn.Conv2d(3, 16, kernel_size=3, padding=1),
            nn.ReLU(),
# +++ variant
            nn.Conv2d(3, 16, kernel_size=3, padding=1),
