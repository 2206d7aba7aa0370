def vgg16_features():
    features = nn.Sequential()
    channels = 3
    for width, n in ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3)):
        for layer in vgg_block(channels, width, n):
            features.append(layer)
        channels = width
    return features
