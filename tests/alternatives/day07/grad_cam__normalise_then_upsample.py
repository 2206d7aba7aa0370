def grad_cam(model, target_layer, x, class_idx=None):
    box = {}
    handle = target_layer.register_forward_hook(lambda m, i, o: box.update(A=o))
    was_training = model.training
    try:
        model.eval()
        with torch.enable_grad():
            logits = model(x.detach().requires_grad_())
            c = logits.argmax(dim=1).item() if class_idx is None else class_idx
            dA = torch.autograd.grad(logits[:, c].sum(), box["A"])[0]
    finally:
        handle.remove()
        model.train(was_training)
    A = box["A"].detach()[0]
    cam = (dA[0].mean(dim=(1, 2))[:, None, None] * A).sum(dim=0).clamp(min=0)
    if cam.max() > cam.min():
        cam = (cam - cam.min()) / (cam.max() - cam.min())
    else:
        cam = torch.zeros_like(cam)
    return F.interpolate(cam[None, None], size=x.shape[-2:], mode="bilinear")[0, 0]
