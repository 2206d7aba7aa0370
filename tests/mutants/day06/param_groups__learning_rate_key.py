def param_groups(model, backbone_lr, head_lr):
    head_ids = {id(p) for p in model.fc.parameters()}
    backbone = [p for p in model.parameters() if p.requires_grad and id(p) not in head_ids]
    head = [p for p in model.fc.parameters() if p.requires_grad]
    return [{"params": backbone, "learning_rate": backbone_lr}, {"params": head, "learning_rate": head_lr}]
