def trace_shapes(model, input_shape):
    trace = []
    for name, m in model.named_modules():
        if len(list(m.children())) == 0:
            m.register_forward_hook(lambda mod, inp, out, name=name: trace.append((name, tuple(out.shape))))
    with torch.no_grad():
        model(torch.zeros(input_shape))
    return trace
