def predict(model, images, mean, std, device):
    was_training = model.training
    batch = torch.as_tensor(images).to(device)
    batch = batch.permute(0, 3, 1, 2).float()
    channel_mean = torch.as_tensor(mean, dtype=torch.float32, device=device).view(1, 3, 1, 1)
    channel_std = torch.as_tensor(std, dtype=torch.float32, device=device).view(1, 3, 1, 1)
    batch = (batch - channel_mean) / channel_std / 255
    model.eval()
    try:
        with torch.no_grad():
            classes = model(batch).argmax(dim=1)
    finally:
        model.train(was_training)
    return classes.cpu()
