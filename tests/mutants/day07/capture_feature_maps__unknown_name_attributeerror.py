def capture_feature_maps(model, layer_names, x):
    modules = {name: model.get_submodule(name) for name in layer_names}
    captured = {}

    def make_hook(name):
        def hook(module, inputs, output):
            captured[name] = output.detach().clone()
        return hook

    handles = []
    try:
        for name in layer_names:
            handles.append(modules[name].register_forward_hook(make_hook(name)))
        with torch.no_grad():
            model(x)
    finally:
        for handle in handles:
            handle.remove()
    return {name: captured[name] for name in layer_names}
