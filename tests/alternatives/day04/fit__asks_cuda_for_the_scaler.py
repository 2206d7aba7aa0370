def fit(model, train_loader, val_loader, epochs, lr, device, checkpoint_path):
    model = model.to(device=device)
    use_amp = torch.cuda.is_available() and device.type == "cuda"
    scaler = torch.amp.GradScaler() if use_amp else None
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    criterion = nn.CrossEntropyLoss()
    history = {"train_loss": [], "val_acc": []}
    for epoch in range(epochs):
        history["train_loss"].append(train_one_epoch(model=model, loader=train_loader, optimizer=optimizer,
                                                     loss_fn=criterion, device=device, scaler=scaler))
        history["val_acc"].append(evaluate(model=model, loader=val_loader, device=device))
        if history["val_acc"][-1] == max(history["val_acc"]) and history["val_acc"].index(history["val_acc"][-1]) == epoch:
            torch.save(copy.deepcopy(model.state_dict()), checkpoint_path)
    return history
