# the reference answer with this mistake: clears every hook
# --- reference
            raise ValueError(f"the model has no layer named {name!r}; some of its names: {list(modules)[1:6]}")
# +++ variant
            raise ValueError(f"the model has no layer named {name!r}")
# --- reference
    handles = []
# +++ variant
# --- reference
            handles.append(modules[name].register_forward_hook(make_hook(name)))
# +++ variant
            modules[name].register_forward_hook(make_hook(name))
# --- reference
        for handle in handles:
            handle.remove()
# +++ variant
        for name in layer_names:
            modules[name]._forward_hooks.clear()
