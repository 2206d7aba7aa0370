# the reference answer with this mistake: pool without padding
# --- reference
            nn.MaxPool2d(kernel_size=3, stride=1, padding=1),
# +++ variant
            nn.MaxPool2d(kernel_size=3, stride=1),
