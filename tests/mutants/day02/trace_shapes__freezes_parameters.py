def trace_shapes(model, input_shape):
    for p in model.parameters():
        p.requires_grad_(False)  # no gradients... but the model stays frozen afterwards
    trace = []
    handles = [m.register_forward_hook(lambda mod, inp, out, name=name: trace.append((name, tuple(out.shape))))
               for name, m in model.named_modules() if len(list(m.children())) == 0]
    try:
        model(torch.zeros(input_shape))
    finally:
        for h in handles:
            h.remove()
    return trace
