def build_transforms(train, size, mean, std):
    m = torch.as_tensor(mean, dtype=torch.float32).reshape(3, 1, 1)
    s = torch.as_tensor(std, dtype=torch.float32).reshape(3, 1, 1)

    def normalize(t):
        return (t - m) / s

    if train:
        geometric = [transforms.RandomResizedCrop((size, size), scale=(0.25, 1.0), ratio=(0.8, 1.25)),
                     transforms.RandomHorizontalFlip(0.5)]
    else:
        geometric = [transforms.Resize(size), transforms.CenterCrop((size, size))]
    return transforms.Compose(geometric + [transforms.PILToTensor(),
                                           transforms.Lambda(lambda t: t.float() / 255),
                                           transforms.Lambda(normalize)])
