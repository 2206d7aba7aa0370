def avgpool2d_manual(x, kernel_size, stride=None):
    s = kernel_size if stride is None else stride
    h_out = (x.shape[2] - kernel_size) // s + 1
    w_out = (x.shape[3] - kernel_size) // s + 1
    total = torch.zeros_like(x[:, :, :h_out, :w_out])
    for di in range(kernel_size):
        for dj in range(kernel_size):
            total += x[:, :, di:di + s * (h_out - 1) + 1:s, dj:dj + s * (w_out - 1) + 1:s]
    return total / (kernel_size * kernel_size)
