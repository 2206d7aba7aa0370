def channel_mean_std(dataset):
    # first pass: the mean; second pass: the squared deviations from it (numerically stable)
    def image_of(item):
        return item[0] if isinstance(item, (tuple, list)) else item

    sums, n = 0.0, 0
    for i in range(len(dataset)):
        img = image_of(dataset[i]).double()
        sums = sums + img.sum(dim=(1, 2))
        n += img.shape[1] * img.shape[2]
    mean = sums / n
    sq = 0.0
    for i in range(len(dataset)):
        img = image_of(dataset[i]).double()
        sq = sq + ((img - mean[:, None, None]) ** 2).sum(dim=(1, 2))
    return mean.to(torch.float32), torch.sqrt(sq / n).to(torch.float32)
