def channel_mean_std(dataset):
    # a DataLoader without batching hands out one item at a time
    loader = DataLoader(dataset, batch_size=None, shuffle=False)
    s = s2 = None
    pixels = 0
    for item in loader:
        img = item[0] if isinstance(item, (tuple, list)) else item
        flat = torch.flatten(img, start_dim=1).double()
        s = flat.sum(1) if s is None else s + flat.sum(1)
        s2 = flat.pow(2).sum(1) if s2 is None else s2 + flat.pow(2).sum(1)
        pixels += flat.size(1)
    mean = s / pixels
    std = torch.sqrt(torch.clamp(s2 / pixels - mean ** 2, min=0.0))
    return mean.float(), std.float()
