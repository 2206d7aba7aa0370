def channel_mean_std(dataset):
    count, total, total_sq = 0, None, None
    for index in range(len(dataset)):
        item = dataset[index]
        image = item[0] if isinstance(item, (tuple, list)) else item
        pixels = image.double().flatten(1)
        if total is None:
            total = torch.zeros(pixels.shape[0], dtype=torch.float64)
            total_sq = torch.zeros_like(total)
        total += pixels.sum(dim=1)
        total_sq += (pixels * pixels).sum(dim=1)
        count += pixels.shape[1]
    mean = total / count
    # sample variance: divides by N - 1
    variance = (total_sq - count * mean * mean) / (count - 1)
    return mean.float(), variance.clamp(min=0).sqrt().float()
