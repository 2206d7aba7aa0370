# the reference answer with this mistake: returns tensor
# --- reference
        total_loss += loss.item() * inputs.size(0)
# +++ variant
        total_loss += loss.detach() * inputs.size(0)
