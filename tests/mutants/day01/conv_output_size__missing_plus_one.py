def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    if min(size, kernel_size, stride) < 1 or padding < 0 or dilation < 1:
        raise ValueError("invalid argument")
    out = (size + 2 * padding - dilation * (kernel_size - 1) - 1) // stride
    if out < 1:
        raise ValueError("kernel does not fit")
    return out
