def maxpool2d_manual(x, kernel_size, stride=None):
    stride = kernel_size if stride is None else stride
    return torch.ops.aten.max_pool2d(x, [kernel_size, kernel_size], [stride, stride])
