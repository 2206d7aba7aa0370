def predict(model, images, mean, std, device):
    before = model.training
    model.eval()
    try:
        with torch.no_grad():
            x = torch.as_tensor(images, device=device).permute(0, 3, 1, 2)
            x = x.to(torch.float32).div(255)
            mean_t = torch.as_tensor(mean, device=device).float()[None, :, None, None]
            std_t = torch.as_tensor(std, device=device).float()[None, :, None, None]
            predicted = model((x - mean_t) / std_t).argmax(1)
    finally:
        if before:
            model.train()
    return predicted.cpu()
