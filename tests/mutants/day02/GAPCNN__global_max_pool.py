# the reference answer, but with global max pooling instead of the average
# --- reference
        self.pool = nn.AdaptiveAvgPool2d(1)
# +++ variant
        self.pool = nn.AdaptiveMaxPool2d(1)
