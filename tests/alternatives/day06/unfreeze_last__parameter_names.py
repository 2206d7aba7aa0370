def unfreeze_last(model, n_stages):
    if n_stages not in range(5):
        raise ValueError(f"n_stages should be 0 to 4, got {n_stages}")
    wanted = {f"layer{i}" for i in range(5 - n_stages, 5)}
    for name, param in model.named_parameters():
        if name.split(".")[0] in wanted:
            param.requires_grad = True
    return model
