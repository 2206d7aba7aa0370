import numpy as np

def conv_param_count(in_channels, out_channels, kernel_size, bias=True):
    ks = np.broadcast_to(np.asarray(kernel_size), (2,))
    return int(np.prod([out_channels, in_channels, *ks])) + (out_channels if bias else 0)
