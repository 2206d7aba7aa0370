def filters_to_images(weight):
    w = weight.detach()
    low = w.amin(dim=(1, 2, 3), keepdim=True)
    high = w.amax(dim=(1, 2, 3), keepdim=True)
    span = high - low
    flat = span == 0
    scaled = (w - low) / torch.where(flat, torch.ones_like(span), span)
    scaled = torch.where(flat, torch.full_like(scaled, 0.5), scaled)
    f, c, kh, kw = scaled.shape
    return scaled.reshape(f, kh, kw, c)
