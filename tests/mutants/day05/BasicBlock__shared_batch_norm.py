# the reference answer with this mistake: shared batch norm
# --- reference
        self.bn2 = nn.BatchNorm2d(out_channels)
# +++ variant
        self.bn2 = self.bn1
