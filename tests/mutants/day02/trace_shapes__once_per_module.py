def trace_shapes(model, input_shape):
    shapes = {}  # a dict keeps the order of first calls, but only one entry per module

    def make_hook(name):
        def hook(mod, inp, out):
            if name not in shapes:
                shapes[name] = tuple(out.shape)
        return hook

    handles = [m.register_forward_hook(make_hook(name))
               for name, m in model.named_modules() if len(list(m.children())) == 0]
    try:
        with torch.no_grad():
            model(torch.zeros(input_shape))
    finally:
        for h in handles:
            h.remove()
    return list(shapes.items())
