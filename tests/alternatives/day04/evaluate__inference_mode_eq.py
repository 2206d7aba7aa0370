def evaluate(model, loader, device):
    model.eval()
    hits = 0
    with torch.inference_mode():
        for x, y in loader:
            hits += int(model(x.to(device)).argmax(1).eq(y.to(device)).sum())
    return hits / len(loader.dataset)
