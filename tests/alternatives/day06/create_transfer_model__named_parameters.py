def create_transfer_model(num_classes, freeze_backbone=True, weights=None):
    from torchvision.models import resnet18
    net = resnet18(weights=weights, progress=False)
    for name, p in net.named_parameters():
        p.requires_grad_(not freeze_backbone)
    net.fc = nn.Sequential(nn.Dropout(p=0.5), nn.Linear(512, num_classes))
    return net
