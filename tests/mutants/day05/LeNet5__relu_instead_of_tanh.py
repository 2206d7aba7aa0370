# the reference answer with this mistake: relu instead of tanh
# --- reference
            nn.Conv2d(1, 6, kernel_size=5),
            nn.Tanh(),
# +++ variant
            nn.Conv2d(1, 6, kernel_size=5),
            nn.ReLU(),
# --- reference
            nn.Conv2d(6, 16, kernel_size=5),
            nn.Tanh(),
# +++ variant
            nn.Conv2d(6, 16, kernel_size=5),
            nn.ReLU(),
# --- reference
            nn.Linear(16 * 5 * 5, 120),
            nn.Tanh(),
# +++ variant
            nn.Linear(16 * 5 * 5, 120),
            nn.ReLU(),
# --- reference
            nn.Linear(120, 84),
            nn.Tanh(),
# +++ variant
            nn.Linear(120, 84),
            nn.ReLU(),
