def channel_mean_std(dataset):
    # Chan et al.: merge each image's (count, mean, M2) into the running totals
    n, mean, m2 = 0, None, None
    for item in dataset:
        x = item[0] if type(item) in (tuple, list) else item
        x = x.reshape(x.shape[0], -1).to(torch.float64)
        k = x.shape[1]
        mean_k = x.mean(dim=1)
        m2_k = ((x - mean_k[:, None]) ** 2).sum(dim=1)
        if mean is None:
            n, mean, m2 = k, mean_k, m2_k
            continue
        delta = mean_k - mean
        total = n + k
        mean = mean + delta * k / total
        m2 = m2 + m2_k + delta ** 2 * n * k / total
        n = total
    return mean.float(), (m2 / n).sqrt().float()
