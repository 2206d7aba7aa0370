def conv2d_manual(x, weight, bias=None, stride=1, padding=0):
    n, c, h, w = x.shape
    f, _, kh, kw = weight.shape
    cols = F.unfold(x, (kh, kw), padding=padding, stride=stride)   # (N, C*kh*kw, L)
    out = weight.reshape(f, -1) @ cols                              # (N, F, L)
    h_out = (h + 2 * padding - kh) // stride + 1
    w_out = (w + 2 * padding - kw) // stride + 1
    out = out.reshape(n, f, h_out, w_out)
    if bias is not None:
        out = out + bias.reshape(1, f, 1, 1)
    return out
