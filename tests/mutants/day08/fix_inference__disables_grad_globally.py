def fix_inference(model, image, mean, std):
    torch.set_grad_enabled(False)
    x = (image - mean.view(3, 1, 1)) / std.view(3, 1, 1)
    model.eval()
    logits = model(x.unsqueeze(0))
    return logits.softmax(dim=1)[0]
