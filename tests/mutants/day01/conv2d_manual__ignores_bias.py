def conv2d_manual(x, weight, bias=None, stride=1, padding=0):
    n, c, h, w = x.shape
    f, _, kh, kw = weight.shape
    x = F.pad(x, (padding,) * 4)
    h_out = (h + 2 * padding - kh) // stride + 1
    w_out = (w + 2 * padding - kw) // stride + 1
    out = torch.zeros(n, f, h_out, w_out, dtype=x.dtype)
    for i in range(h_out):
        for j in range(w_out):
            win = x[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = (win.unsqueeze(1) * weight.unsqueeze(0)).sum(dim=(2, 3, 4))
    return out
