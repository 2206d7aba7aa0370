def to_model_input(image):
    arr = np.asarray(image)
    chw = np.ascontiguousarray(arr.transpose(2, 0, 1)).astype(np.float32) / np.float32(255)
    return torch.tensor(chw).view(1, *chw.shape)
