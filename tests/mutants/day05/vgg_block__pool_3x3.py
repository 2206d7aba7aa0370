def vgg_block(in_channels, out_channels, num_convs):
    layers = []
    channels = in_channels
    for _ in range(num_convs):
        layers.append(nn.Conv2d(channels, out_channels, kernel_size=3, padding=1))
        layers.append(nn.ReLU())
        channels = out_channels
    layers.append(nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    return nn.Sequential(*layers)
