# the reference answer, but a 2x2 grid of averages flattened: it fits any size, yet is not global pooling
# --- reference
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Linear(64, num_classes)
# +++ variant
        self.pool = nn.AdaptiveAvgPool2d(2)
        self.head = nn.Linear(64 * 2 * 2, num_classes)
