def capture_feature_maps(model, layer_names, x):
    modules = dict(model.named_modules())
    for name in layer_names:
        if name not in modules:
            raise ValueError(f"the model has no layer named {name!r}; some of its names: {list(modules)[1:6]}")
    captured = {}

    def make_hook(name):
        def hook(module, inputs, output):
            captured[name] = output.detach().clone()
        return hook

    for name in layer_names:
        modules[name].register_forward_hook(make_hook(name))
    with torch.no_grad():
        model(x)
    return {name: captured[name] for name in layer_names}
