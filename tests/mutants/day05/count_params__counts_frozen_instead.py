def count_params(model, trainable_only=False):
    total = 0
    for p in model.parameters():  # parameters() yields a shared parameter once
        if not (p.requires_grad and trainable_only):
            total += p.numel()
    return total
