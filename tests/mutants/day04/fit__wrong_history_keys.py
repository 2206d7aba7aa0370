# the reference answer with this mistake: wrong history keys
# --- reference
    history = {"train_loss": [], "val_acc": []}
# +++ variant
    history = {"loss": [], "accuracy": []}
# --- reference
        history["train_loss"].append(train_one_epoch(model, train_loader, optimizer, loss_fn, device, scaler))
# +++ variant
        history["loss"].append(train_one_epoch(model, train_loader, optimizer, loss_fn, device, scaler))
# --- reference
        history["val_acc"].append(accuracy)
# +++ variant
        history["accuracy"].append(accuracy)
