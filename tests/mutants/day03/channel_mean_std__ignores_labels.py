def channel_mean_std(dataset):
    # assumes every item is an image tensor
    count, total, total_sq = 0, None, None
    for index in range(len(dataset)):
        pixels = dataset[index].double().flatten(1)
        if total is None:
            total = torch.zeros(pixels.shape[0], dtype=torch.float64)
            total_sq = torch.zeros_like(total)
        total += pixels.sum(dim=1)
        total_sq += (pixels * pixels).sum(dim=1)
        count += pixels.shape[1]
    mean = total / count
    return mean.float(), (total_sq / count - mean * mean).clamp(min=0).sqrt().float()
