def receptive_field(layers):
    # walk from the output back to the input: r_in = (r_out - 1) * stride + kernel
    r = 1
    for kernel_size, stride in reversed(list(layers)):
        r = (r - 1) * stride + kernel_size
    return r
