# the reference answer, but augment_batch mirrors every image, the same way on every call: nothing random
# --- reference
    # a random mirror, zoom (0.85 to 1.15) and shift (up to 10 % of the side) for each image,
    # as one affine map per image; "border" fills the edges with the background
    n = x.shape[0]
    zoom = torch.empty(n, device=x.device).uniform_(0.85, 1.15)
    mirror = torch.where(torch.rand(n, device=x.device) < 0.5, -1.0, 1.0)
    theta = torch.zeros(n, 2, 3, device=x.device)
    theta[:, 0, 0] = zoom * mirror
    theta[:, 1, 1] = zoom
    theta[:, :, 2] = torch.empty(n, 2, device=x.device).uniform_(-0.1, 0.1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, padding_mode="border", align_corners=False)
# +++ variant
    return torch.flip(x, dims=[3])  # every image mirrored, the same way on every call
