def create_transfer_model(num_classes, freeze_backbone=True, weights=None):
    model = torchvision.models.resnet18(weights=weights)
    if freeze_backbone:
        for param in model.parameters():
            param.requires_grad = False
    model.fc = nn.Sequential(model.fc, nn.Dropout(0.5), nn.Linear(1000, num_classes))
    return model
