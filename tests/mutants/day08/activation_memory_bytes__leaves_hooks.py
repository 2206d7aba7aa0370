def activation_memory_bytes(model, input_shape, dtype=torch.float32):
    was_training = model.training
    model.eval()
    sizes = []

    def record(module, inputs, output):
        sizes.append(output.numel() * torch.empty(0, dtype=dtype).element_size())

    for m in model.modules():
        if next(m.children(), None) is None:
            m.register_forward_hook(record)
    with torch.no_grad():
        model(torch.zeros(input_shape))
    model.train(was_training)
    return int(sum(sizes))
