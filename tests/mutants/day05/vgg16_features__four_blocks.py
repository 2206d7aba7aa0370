def vgg16_features():
    config = [(3, 64, 2), (64, 128, 2), (128, 256, 3), (256, 512, 3)]
    blocks = [vgg_block(c_in, c_out, n) for c_in, c_out, n in config]
    return nn.Sequential(*[layer for block in blocks for layer in block])
