# the reference answer with this mistake: ends in relu
# --- reference
            nn.Linear(64, num_classes),
# +++ variant
            nn.Linear(64, num_classes),
            nn.ReLU(),  # clips the negative scores: not logits any more
