def capture_feature_maps(model, layer_names, x):
    modules = dict(model.named_modules())
    for name in layer_names:
        if name not in modules:
            raise ValueError(f"no layer named {name!r}")
    captured = {}
    handles = []
    try:
        for name in layer_names:
            def hook(module, inputs, output):
                captured[name] = output.detach().clone()    # `name` is looked up when the hook runs
            handles.append(modules[name].register_forward_hook(hook))
        with torch.no_grad():
            model(x)
    finally:
        for handle in handles:
            handle.remove()
    return captured
