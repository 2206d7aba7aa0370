def unfreeze_last(model, n_stages):
    names = ["layer4", "layer3", "layer2", "layer1"]
    if n_stages < 0 or n_stages > len(names):
        raise ValueError("a ResNet has four stages")
    for name in names[:n_stages]:
        getattr(model, name).requires_grad_(True)
