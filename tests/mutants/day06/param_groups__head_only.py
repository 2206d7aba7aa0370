def param_groups(model, backbone_lr, head_lr):
    return [{"params": [p for p in model.fc.parameters() if p.requires_grad], "lr": head_lr}]
