def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    # count the window positions one by one
    for v in (size, kernel_size, stride, padding, dilation):
        if not isinstance(v, int) or isinstance(v, bool):
            raise ValueError("ints only")
    if size <= 0 or kernel_size <= 0 or stride <= 0 or dilation <= 0 or padding < 0:
        raise ValueError("bad value")
    span = dilation * (kernel_size - 1) + 1
    count, start = 0, 0
    while start + span <= size + 2 * padding:
        count += 1
        start += stride
    if count == 0:
        raise ValueError("kernel does not fit")
    return count
