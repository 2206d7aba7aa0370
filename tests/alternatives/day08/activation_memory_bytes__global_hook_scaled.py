from torch.nn.modules.module import register_module_forward_hook


def activation_memory_bytes(model, input_shape, dtype=torch.float32):
    # run the model itself in float32 and eval mode, count numbers, scale by the size of dtype
    leaves = {id(m) for m in model.modules() if not list(m.children())}
    counted = []

    def count(module, inputs, output):
        if id(module) in leaves:
            counted.append(output.numel())

    was_training = model.training
    model.eval()
    handle = register_module_forward_hook(count)
    try:
        with torch.no_grad():
            model(torch.zeros(input_shape))
    finally:
        handle.remove()
        model.train(was_training)
    return sum(counted) * torch.tensor([], dtype=dtype).element_size()
