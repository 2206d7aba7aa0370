# the reference answer with this mistake: align corners true
# --- reference
    cam = F.interpolate(cam, size=tuple(x.shape[-2:]), mode="bilinear", align_corners=False)[0, 0]
# +++ variant
    cam = F.interpolate(cam, size=tuple(x.shape[-2:]), mode="bilinear", align_corners=True)[0, 0]
