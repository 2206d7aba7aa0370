# the reference answer with this mistake: unknown name attributeerror
# --- reference
    modules = dict(model.named_modules())
    for name in layer_names:
        if name not in modules:
            raise ValueError(f"the model has no layer named {name!r}; some of its names: {list(modules)[1:6]}")
# +++ variant
    modules = {name: model.get_submodule(name) for name in layer_names}
