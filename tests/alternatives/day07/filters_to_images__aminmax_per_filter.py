def filters_to_images(weight):
    w = weight.detach().clone()
    out = torch.empty(w.shape[0], w.shape[2], w.shape[3], w.shape[1], dtype=w.dtype)
    for i in range(w.shape[0]):
        lo, hi = torch.aminmax(w[i])
        out[i] = torch.full_like(out[i], 0.5) if hi == lo else ((w[i] - lo) / (hi - lo)).permute(1, 2, 0)
    return out
