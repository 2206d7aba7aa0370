def capture_feature_maps(model, layer_names, x):
    modules = dict(model.named_modules())
    for name in layer_names:
        if name not in modules:
            raise ValueError(f"the model has no layer named {name!r}")
    captured = {}

    def make_hook(name):
        def hook(module, inputs, output):
            captured[name] = output.detach().clone()
        return hook

    try:
        for name in layer_names:
            modules[name].register_forward_hook(make_hook(name))
        with torch.no_grad():
            model(x)
    finally:
        for name in layer_names:
            modules[name]._forward_hooks.clear()
    return {name: captured[name] for name in layer_names}
