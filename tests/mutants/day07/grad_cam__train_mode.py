# the reference answer with this mistake: train mode
# --- reference
    model.eval()
# +++ variant
