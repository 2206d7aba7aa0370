
def count_params(model, trainable_only=False):
    total = 0
    for child in model.children():
        total += sum(p.numel() for p in child.parameters() if p.requires_grad or not trainable_only)
    return total
