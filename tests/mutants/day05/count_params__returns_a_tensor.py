def count_params(model, trainable_only=False):
    total = 0
    for p in model.parameters():  # parameters() yields a shared parameter once
        if p.requires_grad or not trainable_only:
            total += p.numel()
    return torch.tensor(total)
