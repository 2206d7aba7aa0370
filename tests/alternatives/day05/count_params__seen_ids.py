def count_params(model, trainable_only=False):
    seen = {}
    for name, p in model.named_parameters(remove_duplicate=False):
        if trainable_only and not p.requires_grad:
            continue
        seen[id(p)] = p.numel()
    return int(sum(seen.values()))
