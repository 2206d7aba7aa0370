def conv2d_manual(x, weight, bias=None, stride=1, padding=0):
    n, c, h, w = x.shape
    f, _, kh, kw = weight.shape
    padded = torch.zeros(n, c, h + 2 * padding, w + 2 * padding, dtype=x.dtype)
    padded[:, :, padding:padding + h, padding:padding + w] = x
    h_out = (h + 2 * padding - kh) // stride + 1
    w_out = (w + 2 * padding - kw) // stride + 1
    out = torch.empty(n, f, h_out, w_out, dtype=x.dtype)
    for b in range(n):
        for k in range(f):
            for i in range(h_out):
                for j in range(w_out):
                    patch = padded[b, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
                    out[b, k, i, j] = (patch * weight[k]).sum() + (bias[k] if bias is not None else 0)
    return out
