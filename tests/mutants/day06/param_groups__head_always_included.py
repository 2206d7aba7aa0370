def param_groups(model, backbone_lr, head_lr):
    head_ids = {id(p) for p in model.fc.parameters()}
    backbone = [p for p in model.parameters() if p.requires_grad and id(p) not in head_ids]
    groups = [{"params": list(model.fc.parameters()), "lr": head_lr}]  # the head, trainable or not
    if backbone:
        groups.insert(0, {"params": backbone, "lr": backbone_lr})
    return groups
