def fit(model, train_loader, val_loader, epochs, lr, device, checkpoint_path):
    model = model.to(device)
    optimizer = torch.optim.Adam(params=list(model.parameters()), lr=lr)
    criterion = nn.CrossEntropyLoss()
    scaler = torch.amp.GradScaler("cuda") if device.type == "cuda" else None
    train_loss, val_acc = [], []
    best_acc, best_state = None, None
    for epoch in range(epochs):
        train_loss.append(train_one_epoch(model, train_loader, optimizer, criterion, device, scaler=scaler))
        val_acc.append(evaluate(model, val_loader, device))
        if best_acc is None or val_acc[-1] > best_acc:
            best_acc = val_acc[-1]
            best_state = copy.deepcopy(model.state_dict())
    torch.save(best_state, checkpoint_path)
    return {"train_loss": train_loss, "val_acc": val_acc}
