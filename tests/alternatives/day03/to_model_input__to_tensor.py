from torchvision.transforms import functional as TF


def to_model_input(image):
    # to_tensor accepts a PIL image or an HWC uint8 array and returns CHW floats in [0, 1]
    return TF.to_tensor(image)[None]
