def activation_memory_bytes(model, input_shape, dtype=torch.float32):
    was_training = model.training
    model.to(dtype).eval()
    outputs = []

    def record(module, inputs, output):
        outputs.append(output)

    handles = [m.register_forward_hook(record) for m in model.modules() if next(m.children(), None) is None]
    try:
        with torch.no_grad():
            model(torch.zeros(input_shape, dtype=dtype))
    finally:
        for handle in handles:
            handle.remove()
        model.train(was_training)
    storages = {out.untyped_storage().data_ptr(): out.untyped_storage().nbytes() for out in outputs}
    return int(sum(storages.values()))
