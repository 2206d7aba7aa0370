def unfreeze_last(model, n_stages):
    if not 0 <= n_stages <= 4:
        raise ValueError(f"n_stages must be between 0 and 4, got {n_stages}")
    model.requires_grad_(False)  # starts over: whatever else was trainable is frozen now
    model.fc.requires_grad_(True)
    for stage in [model.layer1, model.layer2, model.layer3, model.layer4][4 - n_stages:]:
        stage.requires_grad_(True)
    return model
