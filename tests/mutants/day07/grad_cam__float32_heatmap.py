def grad_cam(model, target_layer, x, class_idx=None):
    captured = []
    handle = target_layer.register_forward_hook(lambda module, inputs, output: captured.append(output))
    modes = {module: module.training for module in model.modules()}
    model.eval()
    try:
        with torch.enable_grad():
            scores = model(x.detach().clone().requires_grad_(True))
            if class_idx is None:
                class_idx = int(scores[0].argmax())
            activations = captured[-1]
            (gradients,) = torch.autograd.grad(scores[0, class_idx], activations)
    finally:
        handle.remove()
        for module, mode in modes.items():
            module.training = mode
    alpha = gradients.mean(dim=(2, 3), keepdim=True)
    cam = F.relu((alpha * activations).sum(dim=1, keepdim=True)).detach().float()
    cam = F.interpolate(cam, size=tuple(x.shape[-2:]), mode="bilinear", align_corners=False)[0, 0]
    low, high = cam.min(), cam.max()
    if high > low:
        return (cam - low) / (high - low)
    return torch.zeros_like(cam)
