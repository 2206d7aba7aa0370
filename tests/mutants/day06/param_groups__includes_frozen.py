def param_groups(model, backbone_lr, head_lr):
    head_ids = {id(p) for p in model.fc.parameters()}
    backbone = [p for p in model.parameters() if id(p) not in head_ids]
    return [{"params": backbone, "lr": backbone_lr}, {"params": list(model.fc.parameters()), "lr": head_lr}]
