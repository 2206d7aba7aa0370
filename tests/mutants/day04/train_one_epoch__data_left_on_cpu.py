# the reference answer with this mistake: data left on cpu
# --- reference
        inputs, targets = inputs.to(device), targets.to(device)
# +++ variant
