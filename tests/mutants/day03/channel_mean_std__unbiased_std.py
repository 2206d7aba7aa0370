# the reference answer with this mistake: unbiased std
# --- reference
        pixels = image.detach().to(torch.float64).flatten(1)
# +++ variant
        pixels = image.double().flatten(1)
# --- reference
    variance = (total_sq / count - mean * mean).clamp(min=0)
    return mean.float(), variance.sqrt().float()
# +++ variant
    # sample variance: divides by N - 1
    variance = (total_sq - count * mean * mean) / (count - 1)
    return mean.float(), variance.clamp(min=0).sqrt().float()
