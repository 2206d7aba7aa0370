from torch.nn.modules.module import register_module_forward_hook


def trace_shapes(model, input_shape):
    # one global hook; a table says which modules are leaves of this model, and their names
    names = {id(m): n for n, m in model.named_modules() if not list(m.children())}
    seen = []

    def hook(module, inputs, output):
        if id(module) in names:
            seen.append((names[id(module)], tuple(map(int, output.shape))))

    handle = register_module_forward_hook(hook)
    try:
        with torch.no_grad():
            model(torch.zeros(*input_shape))
    finally:
        handle.remove()
    return seen
