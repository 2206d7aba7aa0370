# the reference answer with this mistake: eval mode
# --- reference
    model.train()
# +++ variant
    model.eval()
