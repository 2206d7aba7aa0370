def fit(model, train_loader, val_loader, epochs, lr, device, checkpoint_path):
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    scaler = torch.amp.GradScaler("cuda") if device.type == "cuda" else None
    history = {"train_loss": [], "val_acc": []}
    best = -1.0
    cpu = torch.device("cpu")
    for _epoch in range(epochs):
        history["train_loss"].append(train_one_epoch(model, train_loader, optimizer, loss_fn, cpu, scaler))
        accuracy = evaluate(model, val_loader, cpu)
        history["val_acc"].append(accuracy)
        if accuracy > best:
            best = accuracy
            torch.save(model.state_dict(), checkpoint_path)
    return history
