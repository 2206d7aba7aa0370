def count_params(model, trainable_only=False):
    total = 0
    for _, p in model.named_parameters(remove_duplicate=False):  # parameters() yields a shared parameter once
        if p.requires_grad or not trainable_only:
            total += p.numel()
    return total
