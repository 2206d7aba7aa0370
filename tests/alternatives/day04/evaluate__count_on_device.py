def evaluate(model, loader, device):
    model.eval()
    hits = torch.zeros((), dtype=torch.long, device=device)
    seen = 0
    with torch.no_grad():
        for batch in loader:
            inputs, targets = (t.to(device=device, non_blocking=True) for t in batch)
            hits += (model(inputs).argmax(dim=-1) == targets).sum()
            seen += len(targets)
    return hits.item() / seen
