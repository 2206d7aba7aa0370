def param_groups(model, backbone_lr, head_lr):
    head, body = [], []
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        (head if name.startswith("fc.") else body).append(p)
    return [{"params": body, "lr": backbone_lr}, {"params": head, "lr": head_lr}]
