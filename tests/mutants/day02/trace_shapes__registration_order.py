def trace_shapes(model, input_shape):
    shapes = {}
    leaves = [(name, m) for name, m in model.named_modules() if len(list(m.children())) == 0]
    handles = [m.register_forward_hook(lambda mod, inp, out, name=name: shapes.__setitem__(name, tuple(out.shape)))
               for name, m in leaves]
    try:
        with torch.no_grad():
            model(torch.zeros(input_shape))
    finally:
        for h in handles:
            h.remove()
    return [(name, shapes[name]) for name, _ in leaves if name in shapes]  # the order of __init__, not of forward
