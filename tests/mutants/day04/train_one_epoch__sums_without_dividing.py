# the reference answer with this mistake: sums without dividing
# --- reference
    return total_loss / total_samples
# +++ variant
    return total_loss
