# the reference answer with this mistake: no zero grad
# --- reference
        optimizer.zero_grad()
# +++ variant
