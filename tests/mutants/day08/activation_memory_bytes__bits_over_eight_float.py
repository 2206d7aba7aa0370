def activation_memory_bytes(model, input_shape, dtype=torch.float32):
    probe = copy.deepcopy(model).eval()
    numbers = []

    def record(module, inputs, output):
        numbers.append(output.numel())

    handles = [m.register_forward_hook(record) for m in probe.modules() if next(m.children(), None) is None]
    try:
        with torch.no_grad():
            probe(torch.zeros(input_shape))
    finally:
        for handle in handles:
            handle.remove()
    return sum(numbers) * torch.finfo(dtype).bits / 8
