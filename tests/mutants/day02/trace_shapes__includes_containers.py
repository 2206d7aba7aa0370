def trace_shapes(model, input_shape):
    trace = []
    handles = [m.register_forward_hook(lambda mod, inp, out, name=name: trace.append((name, tuple(out.shape))))
               for name, m in model.named_modules()]  # every module, containers and the model itself too
    try:
        with torch.no_grad():
            model(torch.zeros(input_shape))
    finally:
        for h in handles:
            h.remove()
    return trace
