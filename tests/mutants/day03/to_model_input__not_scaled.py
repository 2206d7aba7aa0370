def to_model_input(image):
    array = np.array(image.convert("RGB") if isinstance(image, Image.Image) else image, dtype=np.uint8)
    tensor = torch.from_numpy(array).permute(2, 0, 1).to(torch.float32)
    return tensor.unsqueeze(0)
