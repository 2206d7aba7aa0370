from collections import OrderedDict


def create_transfer_model(num_classes, freeze_backbone=True, weights=None):
    model = torchvision.models.resnet18(weights=weights)
    in_features = model.fc.in_features
    model.fc = nn.Sequential(OrderedDict(drop=nn.Dropout(0.5), out=nn.Linear(in_features, num_classes)))
    model.requires_grad_(not freeze_backbone)
    model.fc.requires_grad_(True)
    return model
