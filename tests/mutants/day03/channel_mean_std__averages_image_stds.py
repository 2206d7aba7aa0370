def channel_mean_std(dataset):
    count, total, stds = 0, 0, []
    for index in range(len(dataset)):
        item = dataset[index]
        image = item[0] if isinstance(item, (tuple, list)) else item
        pixels = image.double().flatten(1)
        total = total + pixels.sum(dim=1)
        count += pixels.shape[1]
        stds.append(pixels.std(dim=1, unbiased=False))
    return (total / count).float(), (sum(stds) / len(stds)).float()
