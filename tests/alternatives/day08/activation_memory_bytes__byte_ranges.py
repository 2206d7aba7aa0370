def _leaves(module):
    children = list(module.children())
    if not children:
        return [module]
    return [leaf for child in children for leaf in _leaves(child)]


def activation_memory_bytes(model, input_shape, dtype=torch.float32):
    # the memory the outputs cover, as a union of byte ranges: shared bytes count once
    clone = copy.deepcopy(model)
    clone.to(dtype)
    clone.train(False)
    storages = []
    hooks = [leaf.register_forward_hook(lambda mod, args, out: storages.append(out.untyped_storage()))
             for leaf in _leaves(clone)]
    try:
        with torch.inference_mode():
            clone(torch.zeros(*input_shape, dtype=dtype))
    finally:
        for hook in hooks:
            hook.remove()
    ranges = sorted((s.data_ptr(), s.data_ptr() + s.nbytes()) for s in storages)
    covered, end = 0, None
    for start, stop in ranges:
        if end is None or start >= end:
            covered += stop - start
            end = stop
        elif stop > end:
            covered += stop - end
            end = stop
    return covered
