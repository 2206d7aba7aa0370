def count_params(model, trainable_only=False):
    total = 0
    for p in model.parameters():  # parameters() yields a shared parameter once
        if True:
            total += p.numel()
    return total
