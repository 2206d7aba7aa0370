from torch.nn.modules.module import register_module_forward_hook


def activation_memory_bytes(model, input_shape, dtype=torch.float32):
    # run the model itself in float32 and eval mode, measure the distinct storages, scale by the size of dtype
    leaves = {id(m) for m in model.modules() if not list(m.children())}
    kept = []

    def keep(module, inputs, output):
        if id(module) in leaves:
            kept.append(output)

    was_training = model.training
    model.eval()
    handle = register_module_forward_hook(keep)
    try:
        with torch.no_grad():
            model(torch.zeros(input_shape))
    finally:
        handle.remove()
        model.train(was_training)
    blocks = {}
    for out in kept:
        storage = out.untyped_storage()
        blocks[storage.data_ptr()] = storage.nbytes() // out.element_size()   # numbers in the block
    return sum(blocks.values()) * torch.tensor([], dtype=dtype).element_size()
