def vgg_block(in_channels, out_channels, num_convs):
    chans = [in_channels] + [out_channels] * num_convs
    pairs = [[nn.Conv2d(a, b, 3, padding=1), nn.ReLU(inplace=True)] for a, b in zip(chans[:-1], chans[1:])]
    return nn.Sequential(*[layer for pair in pairs for layer in pair], nn.MaxPool2d(2))
