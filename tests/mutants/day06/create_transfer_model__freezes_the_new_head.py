def create_transfer_model(num_classes, freeze_backbone=True, weights=None):
    model = torchvision.models.resnet18(weights=weights)
    model.fc = nn.Sequential(nn.Dropout(0.5), nn.Linear(model.fc.in_features, num_classes))
    if freeze_backbone:
        for param in model.parameters():
            param.requires_grad = False
    return model
