def to_model_input(image):
    array = np.array(image.convert("RGB") if isinstance(image, Image.Image) else image, dtype=np.uint8)
    tensor = torch.from_numpy(array).permute(2, 1, 0).to(torch.float32) / 255.0
    return tensor.unsqueeze(0)
