def vgg16_features():
    return torchvision.models.vgg16(weights=None).features
