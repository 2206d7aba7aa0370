def capture_feature_maps(model, layer_names, x):
    modules = dict(model.named_modules())
    for name in layer_names:
        if name not in modules:
            raise ValueError(f"the model has no layer named {name!r}")
    out = {}
    for name in layer_names:
        kept = []
        handle = modules[name].register_forward_hook(lambda m, i, o: kept.append(o.detach().clone()))
        try:
            with torch.no_grad():
                model(x)
        finally:
            handle.remove()
        out[name] = kept[-1]
    return out
