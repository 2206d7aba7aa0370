# the reference answer with this mistake: helpers on cpu
# --- reference
    best = -1.0
# +++ variant
    best = -1.0
    cpu = torch.device("cpu")
# --- reference
        history["train_loss"].append(train_one_epoch(model, train_loader, optimizer, loss_fn, device, scaler))
        accuracy = evaluate(model, val_loader, device)
# +++ variant
        history["train_loss"].append(train_one_epoch(model, train_loader, optimizer, loss_fn, cpu, scaler))
        accuracy = evaluate(model, val_loader, cpu)
