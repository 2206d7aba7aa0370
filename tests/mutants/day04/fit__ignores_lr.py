# the reference answer with this mistake: ignores lr
# --- reference
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
# +++ variant
    optimizer = torch.optim.Adam(model.parameters())
