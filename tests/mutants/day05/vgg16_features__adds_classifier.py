def vgg16_features():
    config = [(3, 64, 2), (64, 128, 2), (128, 256, 3), (256, 512, 3), (512, 512, 3)]
    blocks = [vgg_block(c_in, c_out, n) for c_in, c_out, n in config]
    return nn.Sequential(*blocks, nn.Flatten(), nn.Linear(512 * 7 * 7, 4096), nn.ReLU(), nn.Linear(4096, 1000))
