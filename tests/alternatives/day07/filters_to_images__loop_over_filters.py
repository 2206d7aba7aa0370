def filters_to_images(weight):
    pictures = []
    for f in weight.detach():                      # (C, k, k)
        image = f.permute(1, 2, 0).clone()         # (k, k, C)
        if f.max() > f.min():
            image = (image - image.min()) / (image.max() - image.min())
        else:
            image.fill_(0.5)
        pictures.append(image)
    return torch.stack(pictures)
