# the reference answer with this mistake: every layer
# --- reference
        for name in layer_names:
            handles.append(modules[name].register_forward_hook(make_hook(name)))
# +++ variant
        for name, module in modules.items():
            if name:
                handles.append(module.register_forward_hook(make_hook(name)))
# --- reference
    return {name: captured[name] for name in layer_names}
# +++ variant
    return captured
