def capture_feature_maps(model, layer_names, x):
    modules = dict(model.named_modules())
    captured = {}

    def make_hook(name):
        def hook(module, inputs, output):
            captured[name] = output.detach().clone()
        return hook

    handles = []
    for name in layer_names:
        if name not in modules:
            raise ValueError(f"no layer named {name!r}")
        handles.append(modules[name].register_forward_hook(make_hook(name)))
    try:
        with torch.no_grad():
            model(x)
    finally:
        for handle in handles:
            handle.remove()
    return captured
