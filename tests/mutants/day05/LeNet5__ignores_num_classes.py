# the reference answer with this mistake: ignores num classes
# --- reference
            nn.Linear(84, num_classes),
# +++ variant
            nn.Linear(84, 10),
