def activation_memory_bytes(model, input_shape, dtype=torch.float32):
    probe = copy.deepcopy(model).to(dtype).eval()
    outputs = []

    def record(module, inputs, output):
        outputs.append(output)

    leaves = list(probe.children())
    handles = [m.register_forward_hook(record) for m in leaves]
    try:
        with torch.no_grad():
            probe(torch.zeros(input_shape, dtype=dtype))
    finally:
        for handle in handles:
            handle.remove()
    storages = {out.untyped_storage().data_ptr(): out.untyped_storage().nbytes() for out in outputs}
    return int(sum(storages.values()))
