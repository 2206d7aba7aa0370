import contextlib


def capture_feature_maps(model, layer_names, x):
    modules = dict(model.named_modules())
    for name in layer_names:
        if name not in modules:
            raise ValueError("unknown layer name: " + name)
    seen = {name: [] for name in layer_names}
    with contextlib.ExitStack() as stack:
        for name in layer_names:
            handle = modules[name].register_forward_hook(
                lambda m, i, o, name=name: seen[name].append(o.detach().clone()))
            stack.callback(handle.remove)
        with torch.inference_mode():
            model(x)
    return {name: outs[-1].clone() for name, outs in seen.items()}
