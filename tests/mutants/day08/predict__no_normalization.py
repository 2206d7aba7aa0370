def predict(model, images, mean, std, device):
    was_training = model.training
    batch = torch.as_tensor(images).to(device)
    batch = batch.permute(0, 3, 1, 2).float() / 255
    model.eval()
    try:
        with torch.no_grad():
            classes = model(batch).argmax(dim=1)
    finally:
        model.train(was_training)
    return classes.cpu()
