import torchvision.transforms.functional as TF


def predict(model, images, mean, std, device):
    flags = {name: module.training for name, module in model.named_modules()}
    model.eval()
    out = []
    with torch.no_grad():
        for image in torch.as_tensor(images):
            x = image.movedim(-1, 0).to(torch.float32) / 255          # (3, H, W)
            x = TF.normalize(x, [float(v) for v in mean], [float(v) for v in std])
            out.append(int(model(x.unsqueeze(0).to(device)).argmax()))
    for name, module in model.named_modules():
        module.training = flags[name]
    return torch.tensor(out, dtype=torch.long)
