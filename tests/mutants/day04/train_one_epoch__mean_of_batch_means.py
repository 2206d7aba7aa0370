def train_one_epoch(model, loader, optimizer, loss_fn, device, scaler=None):
    model.train()
    total_loss, total_samples = 0.0, 0
    for inputs, targets in loader:
        inputs, targets = inputs.to(device), targets.to(device)
        optimizer.zero_grad()
        if scaler is None:
            loss = loss_fn(model(inputs), targets)
            loss.backward()
            optimizer.step()
        else:
            with torch.autocast(device_type=device.type):
                loss = loss_fn(model(inputs), targets)
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
        total_loss += loss.item()
        total_samples += 1
    return total_loss / total_samples
