def trace_shapes(model, input_shape):
    trace = []
    handles = [m.register_forward_hook(
                   lambda mod, inp, out, name=name.split(".")[-1]: trace.append((name, tuple(out.shape))))
               for name, m in model.named_modules() if len(list(m.children())) == 0]
    try:
        with torch.no_grad():
            model(torch.zeros(input_shape))
    finally:
        for h in handles:
            h.remove()
    return trace
