# the reference answer with this mistake: nearest upsampling
# --- reference
    cam = F.interpolate(cam, size=tuple(x.shape[-2:]), mode="bilinear", align_corners=False)[0, 0]
# +++ variant
    cam = F.interpolate(cam, size=tuple(x.shape[-2:]), mode="nearest")[0, 0]
