def channel_mean_std(dataset):
    # copies every image into a NumPy array and keeps them all until the end
    arrays = []
    for index in range(len(dataset)):
        item = dataset[index]
        image = item[0] if isinstance(item, (tuple, list)) else item
        arrays.append(image.numpy().reshape(image.shape[0], -1).astype(np.float64))
    pixels = np.concatenate(arrays, axis=1)
    return torch.from_numpy(pixels.mean(axis=1)).float(), torch.from_numpy(pixels.std(axis=1)).float()
