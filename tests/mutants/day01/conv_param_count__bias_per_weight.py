def conv_param_count(in_channels, out_channels, kernel_size, bias=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    weights = out_channels * in_channels * kh * kw
    return weights * 2 if bias else weights
