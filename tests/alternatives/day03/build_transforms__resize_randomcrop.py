def build_transforms(train, size, mean, std):
    normalize = [transforms.ToTensor(), transforms.Normalize(mean, std)]
    if not train:
        return transforms.Compose([transforms.Resize((size, size))] + normalize)
    return transforms.Compose([
        transforms.Resize(int(size * 1.25)),
        transforms.RandomCrop(size),
        transforms.RandomHorizontalFlip(),
    ] + normalize)
