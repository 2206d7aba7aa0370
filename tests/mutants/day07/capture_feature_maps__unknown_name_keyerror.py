# the reference answer with this mistake: unknown name keyerror
# --- reference
    for name in layer_names:
        if name not in modules:
            raise ValueError(f"the model has no layer named {name!r}; some of its names: {list(modules)[1:6]}")
# +++ variant
