def to_model_input(image):
    array = np.array(image.convert("RGB") if isinstance(image, Image.Image) else image, dtype=np.uint8)
    tensor = torch.from_numpy(array / 255.0).permute(2, 0, 1)
    return tensor.unsqueeze(0)
