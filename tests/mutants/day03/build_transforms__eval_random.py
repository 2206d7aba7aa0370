def build_transforms(train, size, mean, std):
    if True:  # the same augmenting pipeline for training and evaluation
        steps = [transforms.RandomResizedCrop(size, scale=(0.5, 1.0), antialias=True),
                 transforms.RandomHorizontalFlip(p=0.5)]
    else:
        steps = [transforms.Resize(size, antialias=True), transforms.CenterCrop(size)]
    steps += [transforms.ToTensor(), transforms.Normalize(mean=mean, std=std)]
    return transforms.Compose(steps)
