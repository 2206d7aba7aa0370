# the reference answer with this mistake: ignores num classes
# --- reference
            nn.Linear(64, num_classes),
# +++ variant
            nn.Linear(64, 2),
