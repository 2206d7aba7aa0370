def channel_mean_std(dataset):
    # reads one item at a time, but keeps a float64 copy of every image: the whole dataset ends up in memory
    flats = []
    for index in range(len(dataset)):
        item = dataset[index]
        image = item[0] if isinstance(item, (tuple, list)) else item
        flats.append(image.double().flatten(1))
    pixels = torch.cat(flats, dim=1)
    return pixels.mean(dim=1).float(), pixels.std(dim=1, unbiased=False).float()
