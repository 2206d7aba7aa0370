def evaluate(model, loader, device):
    model.eval()
    accuracies = []
    with torch.no_grad():
        for inputs, targets in loader:
            inputs, targets = inputs.to(device), targets.to(device)
            predictions = model(inputs).argmax(dim=1)
            accuracies.append((predictions == targets).float().mean().item())
    return sum(accuracies) / len(accuracies)
