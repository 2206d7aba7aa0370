# the reference answer with this mistake: switches to eval
# --- reference
            handles.append(modules[name].register_forward_hook(make_hook(name)))
# +++ variant
            handles.append(modules[name].register_forward_hook(make_hook(name)))
        model.eval()
