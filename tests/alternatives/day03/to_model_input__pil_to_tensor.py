def to_model_input(image):
    if not isinstance(image, Image.Image):
        image = Image.fromarray(image)
    x = transforms.functional.pil_to_tensor(image.convert("RGB"))  # uint8 (3, H, W)
    return x.unsqueeze(0).float().div(255)
