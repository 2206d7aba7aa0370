def filters_to_images(weight):
    w = weight.detach()
    low = w.amin(dim=(1, 2, 3), keepdim=True)
    high = w.amax(dim=(1, 2, 3), keepdim=True)
    return ((w - low) / (high - low)).permute(0, 2, 3, 1)
