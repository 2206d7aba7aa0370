# the reference answer with this mistake: projection always
# --- reference
        self.shortcut = nn.Identity()  # x itself when the shape does not change
        if stride != 1 or in_channels != out_channels:
# +++ variant
        if True:
