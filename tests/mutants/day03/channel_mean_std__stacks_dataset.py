def channel_mean_std(dataset):
    # correct numbers, but the whole dataset sits in memory at once
    images = []
    for item in dataset:
        images.append(item[0] if isinstance(item, (tuple, list)) else item)
    pixels = torch.cat([img.flatten(1) for img in images], dim=1).double()
    return pixels.mean(dim=1).float(), pixels.std(dim=1, unbiased=False).float()
