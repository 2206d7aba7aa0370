def grad_cam(model, target_layer, x, class_idx=None):
    captured = []
    handle = target_layer.register_forward_hook(lambda module, inputs, output: captured.append(output))
    was_training = model.training
    model.eval()
    scores = model(x.detach().clone().requires_grad_(True))
    if class_idx is None:
        class_idx = int(scores[0].argmax())
    (gradients,) = torch.autograd.grad(scores[0, class_idx], captured[-1])
    handle.remove()
    model.train(was_training)
    alpha = gradients.mean(dim=(2, 3), keepdim=True)
    cam = F.relu((alpha * captured[-1]).sum(dim=1, keepdim=True)).detach()
    cam = F.interpolate(cam, size=tuple(x.shape[-2:]), mode="bilinear", align_corners=False)[0, 0]
    if cam.max() > cam.min():
        return (cam - cam.min()) / (cam.max() - cam.min())
    return torch.zeros_like(cam)
