def grad_cam(model, target_layer, x, class_idx=None):
    store = {}

    def keep(module, inputs, output):
        store["A"] = output
        output.register_hook(lambda grad: store.__setitem__("dA", grad))

    handle = target_layer.register_forward_hook(keep)
    was_training = model.training
    model.eval()
    try:
        scores = model(x.detach().clone().requires_grad_(True))
        if class_idx is None:
            class_idx = int(scores[0].argmax())
        scores[0, class_idx].backward()
        model.zero_grad()                      # sets every .grad to None, also those that were there before
    finally:
        handle.remove()
        model.train(was_training)
    alpha = store["dA"].mean(dim=(2, 3), keepdim=True)
    cam = F.relu((alpha * store["A"]).sum(dim=1, keepdim=True)).detach()
    cam = F.interpolate(cam, size=tuple(x.shape[-2:]), mode="bilinear", align_corners=False)[0, 0]
    if cam.max() > cam.min():
        return (cam - cam.min()) / (cam.max() - cam.min())
    return torch.zeros_like(cam)
