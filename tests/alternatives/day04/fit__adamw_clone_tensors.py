def fit(model, train_loader, val_loader, epochs, lr, device, checkpoint_path):
    model.to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    scaler = torch.amp.GradScaler("cuda") if device.type == "cuda" else None
    history = {"train_loss": [], "val_acc": []}
    for epoch in range(epochs):
        loss = train_one_epoch(model, train_loader, opt, nn.CrossEntropyLoss(), device, scaler)
        acc = evaluate(model, val_loader, device)
        history["train_loss"].append(loss)
        history["val_acc"].append(acc)
        if acc == max(history["val_acc"]) and history["val_acc"].count(acc) == 1:
            best = {k: v.detach().clone() for k, v in model.state_dict().items()}
            torch.save(best, checkpoint_path)
    return history
