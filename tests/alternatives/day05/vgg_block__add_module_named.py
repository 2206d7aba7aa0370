def vgg_block(in_channels, out_channels, num_convs):
    block = nn.Sequential()
    for i in range(num_convs):
        block.add_module(f"conv{i + 1}", nn.Conv2d(in_channels if i == 0 else out_channels, out_channels,
                                                   kernel_size=(3, 3), padding="same"))
        block.add_module(f"relu{i + 1}", nn.ReLU())
    block.add_module("pool", nn.MaxPool2d(2, 2))
    return block
