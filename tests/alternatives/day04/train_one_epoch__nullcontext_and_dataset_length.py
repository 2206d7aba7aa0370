import contextlib


def train_one_epoch(model, loader, optimizer, loss_fn, device, scaler=None):
    model.train()
    running = 0.0
    for inputs, targets in loader:
        inputs = inputs.to(device, non_blocking=True)
        targets = targets.to(device, non_blocking=True)
        optimizer.zero_grad(set_to_none=True)
        context = torch.autocast(device_type=device.type) if scaler is not None else contextlib.nullcontext()
        with context:
            outputs = model(inputs)
            loss = loss_fn(outputs, targets)
        if scaler is not None:
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
        else:
            loss.backward()
            optimizer.step()
        running += float(loss) * len(targets)
    return running / len(loader.dataset)
