def predict(model, images, mean, std, device):
    # everything on the CPU first, then one move to the device
    array = images.numpy() if isinstance(images, torch.Tensor) else np.asarray(images)
    x = torch.from_numpy(np.ascontiguousarray(array.transpose(0, 3, 1, 2))).float().div(255.0)
    m = torch.tensor([float(v) for v in mean]).reshape(1, 3, 1, 1)
    s = torch.tensor([float(v) for v in std]).reshape(1, 3, 1, 1)
    x = ((x - m) / s).to(device)
    mode = model.training
    model.train(False)
    try:
        with torch.inference_mode():
            logits = model(x)
        return torch.max(logits, dim=1).indices.to("cpu")
    finally:
        model.train(mode)
