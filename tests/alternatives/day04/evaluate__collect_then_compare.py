def evaluate(model, loader, device):
    model.train(False)
    predicted, expected = [], []
    with torch.no_grad():
        for x, y in loader:
            predicted.append(torch.max(model(x.to(device)), dim=1).indices.cpu())
            expected.append(y)
    predicted, expected = torch.cat(predicted), torch.cat(expected)
    return (predicted == expected).float().mean().item()
