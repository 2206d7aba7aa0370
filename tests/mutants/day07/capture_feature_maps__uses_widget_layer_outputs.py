def capture_feature_maps(model, layer_names, x):
    from course.widgets.feature_maps import layer_outputs
    names = dict(model.named_modules())
    for name in layer_names:
        if name not in names:
            raise ValueError(f"no layer named {name!r}")
    everything = layer_outputs(model, x)
    return {name: everything[name] for name in layer_names}
