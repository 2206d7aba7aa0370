def conv_param_count(in_channels, out_channels, kernel_size, bias=True):
    # builds the layer (on the meta device: no memory) and counts what it holds
    layer = nn.Conv2d(in_channels, out_channels, kernel_size, bias=bias, device="meta")
    return sum(p.numel() for p in layer.parameters())
