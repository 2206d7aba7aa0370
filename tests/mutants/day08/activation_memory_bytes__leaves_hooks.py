def activation_memory_bytes(model, input_shape, dtype=torch.float32):
    was_training = model.training
    model.eval()
    outputs = []

    def record(module, inputs, output):
        outputs.append(output)

    for m in model.modules():
        if next(m.children(), None) is None:
            m.register_forward_hook(record)
    with torch.no_grad():
        model(torch.zeros(input_shape))
    model.train(was_training)
    storages = {out.untyped_storage().data_ptr(): out.untyped_storage().nbytes() for out in outputs}
    return int(sum(storages.values())) // 4 * torch.empty(0, dtype=dtype).element_size()
