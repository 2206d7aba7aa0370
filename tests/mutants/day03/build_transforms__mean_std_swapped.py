def build_transforms(train, size, mean, std):
    if train:
        steps = [transforms.RandomResizedCrop(size, scale=(0.5, 1.0), antialias=True),
                 transforms.RandomHorizontalFlip(p=0.5)]
    else:
        steps = [transforms.Resize(size, antialias=True), transforms.CenterCrop(size)]
    steps += [transforms.ToTensor(), transforms.Normalize(std, mean)]
    return transforms.Compose(steps)
