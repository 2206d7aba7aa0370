def vgg_block(in_channels, out_channels, num_convs):
    # torchvision's own VGG layer builder; its first conv always reads 3 channels, so that one is replaced
    block = torchvision.models.vgg.make_layers([out_channels] * num_convs + ["M"])
    block[0] = nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1)
    return block
