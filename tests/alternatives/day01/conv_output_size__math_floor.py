import math

def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    args = dict(size=size, kernel_size=kernel_size, stride=stride, padding=padding, dilation=dilation)
    for name, value in args.items():
        if type(value) is not int:
            raise ValueError(f"{name} should be an int")
    if size < 1 or kernel_size < 1 or stride < 1 or dilation < 1 or padding < 0:
        raise ValueError("out of range")
    effective = dilation * (kernel_size - 1) + 1
    padded = size + 2 * padding
    if effective > padded:
        raise ValueError("kernel larger than padded input")
    return int(math.floor((padded - effective) / stride)) + 1
