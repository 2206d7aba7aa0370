def maxpool2d_manual(x, kernel_size, stride=None):
    stride = kernel_size if stride is None else stride
    n, c = x.shape[:2]
    windows = x.unfold(2, kernel_size, stride).unfold(3, kernel_size, stride)   # (N, C, h_out, w_out, k, k)
    return windows.reshape(n, c, -1, kernel_size * kernel_size).amax(dim=-1)    # (N, C, h_out * w_out)
