def channel_mean_std(dataset):
    # mixes the channels: one mean and one std for all of them
    count, total, total_sq = 0, 0.0, 0.0
    channels = None
    for index in range(len(dataset)):
        item = dataset[index]
        image = item[0] if isinstance(item, (tuple, list)) else item
        pixels = image.double()
        channels = pixels.shape[0]
        total += float(pixels.sum())
        total_sq += float((pixels * pixels).sum())
        count += pixels.numel()
    mean = total / count
    std = max(total_sq / count - mean * mean, 0.0) ** 0.5
    return torch.full((channels,), mean), torch.full((channels,), std)
