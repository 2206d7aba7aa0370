def vertical_edge_conv():
    layer = nn.Conv2d(in_channels=1, out_channels=1, kernel_size=(3, 3), stride=1, padding=0, bias=False)
    layer.weight = nn.Parameter(torch.tensor([[[[1., 0., -1.], [1., 0., -1.], [1., 0., -1.]]]]))
    return layer
