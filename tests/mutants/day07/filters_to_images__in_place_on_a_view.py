def filters_to_images(weight):
    images = weight.detach().permute(0, 2, 3, 1)     # a view: in-place operations write into the weight
    low = images.amin(dim=(1, 2, 3), keepdim=True)
    span = images.amax(dim=(1, 2, 3), keepdim=True) - low
    images -= low
    images /= torch.where(span == 0, torch.ones_like(span), span)
    images[(span == 0).expand_as(images)] = 0.5
    return images.clone()
