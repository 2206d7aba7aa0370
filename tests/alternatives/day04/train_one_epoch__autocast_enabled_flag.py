def train_one_epoch(model, loader, optimizer, loss_fn, device, scaler=None):
    model.train(True)
    use_amp = scaler is not None
    losses, sizes = [], []
    for batch in loader:
        x, y = (t.to(device) for t in batch)
        with torch.autocast(device_type=device.type, enabled=use_amp):
            loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        if use_amp:
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
        else:
            loss.backward()
            optimizer.step()
        losses.append(loss.item())
        sizes.append(x.shape[0])
    return sum(l * n for l, n in zip(losses, sizes)) / sum(sizes)
