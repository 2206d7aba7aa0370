def activation_memory_bytes(model, input_shape, dtype=torch.float32):
    sizes = []
    bytes_per_number = torch.empty(0, dtype=dtype).element_size()

    def record(module, inputs, output):
        sizes.append(output.numel() * bytes_per_number)

    handles = [m.register_forward_hook(record) for m in model.modules() if next(m.children(), None) is None]
    try:
        with torch.no_grad():
            model(torch.randn(input_shape))
    finally:
        for handle in handles:
            handle.remove()
    return int(sum(sizes))
