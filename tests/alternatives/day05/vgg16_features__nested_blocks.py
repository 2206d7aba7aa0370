def vgg16_features():
    widths = [64, 128, 256, 512, 512]
    depths = [2, 2, 3, 3, 3]
    return nn.Sequential(*[vgg_block(c_in, c_out, n) for c_in, c_out, n in zip([3] + widths[:-1], widths, depths)])
