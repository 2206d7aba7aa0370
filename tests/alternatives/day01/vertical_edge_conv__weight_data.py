def vertical_edge_conv():
    conv = nn.Conv2d(1, 1, 3, bias=False)
    conv.weight.data[:] = 0
    conv.weight.data[0, 0, :, 0] = 1
    conv.weight.data[0, 0, :, 2] = -1
    return conv
