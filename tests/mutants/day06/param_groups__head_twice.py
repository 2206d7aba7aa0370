def param_groups(model, backbone_lr, head_lr):
    trainable = [p for p in model.parameters() if p.requires_grad]
    return [{"params": trainable, "lr": backbone_lr}, {"params": list(model.fc.parameters()), "lr": head_lr}]
