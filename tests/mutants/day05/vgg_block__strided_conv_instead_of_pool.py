
def vgg_block(in_channels, out_channels, num_convs):
    layers = []
    channels = in_channels
    for i in range(num_convs):
        stride = 2 if i == num_convs - 1 else 1
        layers.append(nn.Conv2d(channels, out_channels, kernel_size=3, stride=stride, padding=1))
        layers.append(nn.ReLU())
        channels = out_channels
    return nn.Sequential(*layers)
