
def vgg_block(in_channels, out_channels, num_convs):
    first = nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1)
    same = nn.Conv2d(out_channels, out_channels, kernel_size=3, padding=1)
    layers = [first, nn.ReLU()] + [same, nn.ReLU()] * (num_convs - 1)
    layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
    return nn.Sequential(*layers)
