# the reference answer with this mistake: over budget
# --- reference
            nn.Conv2d(16, 32, kernel_size=3, padding=1),
# +++ variant
            nn.Conv2d(16, 64, kernel_size=3, padding=1),
# --- reference
            nn.Linear(32 * 16 * 16, 64),
# +++ variant
            nn.Linear(64 * 16 * 16, 128),  # 64 channels and 128 hidden units: 2.1 million weights in one layer
# --- reference
            nn.Linear(64, num_classes),
# +++ variant
            nn.Linear(128, num_classes),
