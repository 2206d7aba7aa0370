# the reference answer with this mistake: nan for flat map
# --- reference
    if high > low:
        return (cam - low) / (high - low)
    return torch.zeros_like(cam)
# +++ variant
    return (cam - low) / (high - low)
