# the reference answer with this mistake: shortcut without batch norm
# --- reference
                nn.BatchNorm2d(out_channels),
# +++ variant
