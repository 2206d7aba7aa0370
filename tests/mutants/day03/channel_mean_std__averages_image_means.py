def channel_mean_std(dataset):
    # every image counts the same, whatever its size
    means, squares = [], []
    for index in range(len(dataset)):
        item = dataset[index]
        image = item[0] if isinstance(item, (tuple, list)) else item
        pixels = image.double().flatten(1)
        means.append(pixels.mean(dim=1))
        squares.append((pixels * pixels).mean(dim=1))
    mean = sum(means) / len(means)
    mean_sq = sum(squares) / len(squares)
    return mean.float(), (mean_sq - mean * mean).clamp(min=0).sqrt().float()
