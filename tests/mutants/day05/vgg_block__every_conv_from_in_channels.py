def vgg_block(in_channels, out_channels, num_convs):
    layers = []
    channels = in_channels
    for _ in range(num_convs):
        layers.append(nn.Conv2d(channels, out_channels, kernel_size=3, padding=1))
        layers.append(nn.ReLU())
    layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
    return nn.Sequential(*layers)
