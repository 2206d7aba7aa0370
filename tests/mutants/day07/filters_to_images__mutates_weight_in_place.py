def filters_to_images(weight):
    w = weight.data                      # the same storage as the layer's weight
    low = w.amin(dim=(1, 2, 3), keepdim=True)
    span = w.amax(dim=(1, 2, 3), keepdim=True) - low
    w.sub_(low)
    w.div_(torch.where(span == 0, torch.ones_like(span), span))
    w[(span == 0).expand_as(w)] = 0.5
    return w.permute(0, 2, 3, 1).clone()
