def to_model_input(image):
    array = np.array(image.convert("RGB") if isinstance(image, Image.Image) else image, dtype=np.uint8)
    tensor = torch.from_numpy(array).reshape(3, array.shape[0], array.shape[1]).to(torch.float32) / 255.0
    return tensor.unsqueeze(0)
