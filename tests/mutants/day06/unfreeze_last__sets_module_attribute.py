def unfreeze_last(model, n_stages):
    stages = [model.layer1, model.layer2, model.layer3, model.layer4]
    if not 0 <= n_stages <= 4:
        raise ValueError(f"n_stages must be between 0 and 4, got {n_stages}")
    for stage in stages[4 - n_stages:]:
        stage.requires_grad = True
    return model
