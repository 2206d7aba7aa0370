def build_transforms(train, size, mean, std):
    if train:
        steps = [transforms.Resize(size, antialias=True), transforms.CenterCrop(size),
                 transforms.RandomHorizontalFlip(p=0.5)]
    else:
        steps = [transforms.Resize(size, antialias=True), transforms.CenterCrop(size)]
    steps += [transforms.ToTensor(), transforms.Normalize(mean=mean, std=std)]
    return transforms.Compose(steps)
