# the reference answer with this mistake: softmax layer
# --- reference
            nn.Linear(64, num_classes),
# +++ variant
            nn.Linear(64, num_classes),
            nn.Softmax(dim=1),
