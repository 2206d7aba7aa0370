def maxpool2d_manual(x, kernel_size, stride=None):
    s = kernel_size if stride is None else stride
    h_out = (x.shape[2] - kernel_size) // s + 1
    w_out = (x.shape[3] - kernel_size) // s + 1
    result = None
    for di in range(kernel_size):          # one strided slice per position inside the window
        for dj in range(kernel_size):
            part = x[:, :, di:di + s * (h_out - 1) + 1:s, dj:dj + s * (w_out - 1) + 1:s]
            result = part.clone() if result is None else torch.maximum(result, part)
    return result
