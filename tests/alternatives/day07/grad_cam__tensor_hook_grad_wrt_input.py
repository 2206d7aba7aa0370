def grad_cam(model, target_layer, x, class_idx=None):
    acts, grads = [], []

    def on_forward(module, inputs, output):
        acts.append(output)
        output.register_hook(grads.append)

    modes = [m.training for m in model.modules()]
    handle = target_layer.register_forward_hook(on_forward)
    try:
        model.eval()
        image = x.detach().clone().requires_grad_(True)
        with torch.enable_grad():
            scores = model(image)
            k = int(torch.argmax(scores[0])) if class_idx is None else int(class_idx)
            torch.autograd.grad(scores[0, k], image)        # runs the tensor hook on the way to the input
    finally:
        handle.remove()
        for m, mode in zip(model.modules(), modes):
            m.training = mode
    a, g = acts[-1].detach(), grads[-1]
    w = g.sum(dim=(2, 3), keepdim=True) / (g.shape[2] * g.shape[3])
    cam = F.relu((w * a).sum(dim=1))[None]                    # (1, 1, h, w)
    cam = F.interpolate(cam, size=(x.shape[2], x.shape[3]), mode="bilinear", align_corners=False).squeeze()
    cam = cam - cam.min()
    return cam / cam.max() if cam.max() > 0 else cam
