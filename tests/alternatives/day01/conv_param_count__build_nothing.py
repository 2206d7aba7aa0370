def conv_param_count(in_channels, out_channels, kernel_size, bias=True):
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    per_filter = in_channels
    for k in kernel_size:
        per_filter *= k
    return int(out_channels * (per_filter + (1 if bias else 0)))
