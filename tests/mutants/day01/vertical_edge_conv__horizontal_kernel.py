def vertical_edge_conv():
    conv = nn.Conv2d(1, 1, 3, bias=False)
    with torch.no_grad():
        conv.weight.copy_(torch.tensor([[1.0, 0.0, -1.0]] * 3).T.reshape(1, 1, 3, 3))
    return conv
