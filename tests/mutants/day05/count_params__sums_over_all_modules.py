
def count_params(model, trainable_only=False):
    total = 0
    for module in model.modules():
        for p in module.parameters():
            if p.requires_grad or not trainable_only:
                total += p.numel()
    return total
