def fix_inference(model, image, mean, std):
    x = (image - mean.view(3, 1, 1)) / std.view(3, 1, 1)
    model.eval()
    with torch.no_grad():
        logits = model(x.unsqueeze(0))
    return logits[0]
