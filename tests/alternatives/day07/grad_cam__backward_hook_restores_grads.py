def grad_cam(model, target_layer, x, class_idx=None):
    saved = {}

    def forward_hook(module, inputs, output):
        saved["acts"] = output.detach()

    def backward_hook(module, grad_input, grad_output):
        saved["grads"] = grad_output[0].detach()

    old_grads = [None if p.grad is None else p.grad.clone() for p in model.parameters()]   # backward adds in place
    old_modes = [m.training for m in model.modules()]
    handles = [target_layer.register_forward_hook(forward_hook),
               target_layer.register_full_backward_hook(backward_hook)]
    try:
        model.eval()
        inp = x.detach().clone().requires_grad_(True)
        out = model(inp)
        target = out[0].argmax().item() if class_idx is None else class_idx
        out[0, target].backward()
    finally:
        for h in handles:
            h.remove()
        for p, g in zip(model.parameters(), old_grads):
            p.grad = g
        for m, mode in zip(model.modules(), old_modes):
            m.train(mode)
    weights = saved["grads"][0].mean(dim=(1, 2))                  # (K,)
    heat = torch.relu(torch.einsum("k,khw->hw", weights, saved["acts"][0]))
    heat = torch.nn.Upsample(size=tuple(x.shape[2:]), mode="bilinear", align_corners=False)(heat[None, None])[0, 0]
    span = heat.max() - heat.min()
    return (heat - heat.min()) / span if span > 0 else torch.zeros_like(heat)
