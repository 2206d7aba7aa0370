def unfreeze_last(model, n_stages):
    stages = [model.layer1, model.layer2, model.layer3, model.layer4]
    for stage in stages[len(stages) - n_stages:]:
        stage.requires_grad_(True)
    return model
