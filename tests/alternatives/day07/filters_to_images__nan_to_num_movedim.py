def filters_to_images(weight):
    with torch.no_grad():
        flat = weight.flatten(1)
        low = flat.min(dim=1).values.view(-1, 1, 1, 1)
        high = flat.max(dim=1).values.view(-1, 1, 1, 1)
        scaled = torch.nan_to_num((weight - low) / (high - low), nan=0.5)
    return torch.movedim(scaled, 1, -1)
