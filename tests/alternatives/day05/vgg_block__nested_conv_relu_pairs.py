def vgg_block(in_channels, out_channels, num_convs):
    def conv_relu(c_in):
        return nn.Sequential(nn.Conv2d(c_in, out_channels, 3, 1, 1), nn.ReLU())
    parts = [conv_relu(in_channels)] + [conv_relu(out_channels) for _ in range(num_convs - 1)]
    return nn.Sequential(*parts, nn.MaxPool2d(kernel_size=2))
