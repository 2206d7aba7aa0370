def param_groups(model, backbone_lr, head_lr):
    groups = []
    for name, child in model.named_children():
        params = [p for p in child.parameters() if p.requires_grad]
        if params:
            groups.append(dict(params=params, lr=head_lr if child is model.fc else backbone_lr))
    return groups
