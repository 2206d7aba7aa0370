from torch.nn.modules.module import register_module_forward_hook


def capture_feature_maps(model, layer_names, x):
    named = dict(model.named_modules())
    bad = [n for n in layer_names if n not in named]
    if bad:
        raise ValueError(f"unknown layers: {bad}")
    wanted = {id(named[n]): n for n in layer_names}
    found = {}

    def record(module, args, output):
        if id(module) in wanted:
            found[wanted[id(module)]] = output.detach().clone()

    handle = register_module_forward_hook(record)
    try:
        with torch.no_grad():
            model(x)
    finally:
        handle.remove()
    return {n: found[n] for n in layer_names}
