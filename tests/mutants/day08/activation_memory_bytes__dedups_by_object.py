def activation_memory_bytes(model, input_shape, dtype=torch.float32):
    probe = copy.deepcopy(model).to(dtype).eval()
    seen = {}

    def record(module, inputs, output):
        seen[id(output)] = (output, output.numel() * output.element_size())

    leaves = [m for m in probe.modules() if next(m.children(), None) is None]
    handles = [m.register_forward_hook(record) for m in leaves]
    try:
        with torch.no_grad():
            probe(torch.zeros(input_shape, dtype=dtype))
    finally:
        for handle in handles:
            handle.remove()
    return int(sum(size for _, size in seen.values()))
