def activation_memory_bytes(model, input_shape, dtype=torch.float32):
    probe = copy.deepcopy(model).to(dtype).eval()
    outputs = []

    def record(module, inputs, output):
        outputs.append(output)

    leaves = [m for m in probe.modules() if next(m.children(), None) is None]
    handles = [m.register_forward_hook(record) for m in leaves]
    try:
        with torch.no_grad():
            probe(torch.zeros(input_shape, dtype=dtype))
    finally:
        for handle in handles:
            handle.remove()
    sizes = {out.data_ptr(): out.numel() * out.element_size() for out in outputs}
    return int(sum(sizes.values()))
