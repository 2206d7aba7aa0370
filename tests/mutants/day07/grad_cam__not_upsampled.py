# the reference answer with this mistake: not upsampled
# --- reference
    cam = F.interpolate(cam, size=tuple(x.shape[-2:]), mode="bilinear", align_corners=False)[0, 0]
# +++ variant
    cam = cam[0, 0]
