def count_params(model, trainable_only=False):
    found = set()
    n = 0
    for m in model.modules():
        for p in m.parameters(recurse=False):
            if p in found or (trainable_only and not p.requires_grad):
                continue
            found.add(p)
            n += p.numel()
    return n
