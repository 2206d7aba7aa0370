def fix_training_step(model, images, labels, optimizer):
    for group in optimizer.param_groups:
        for p in group["params"]:
            p.grad = None
    model.train()
    criterion = nn.CrossEntropyLoss(reduction="sum")
    loss = criterion(model(images), labels) / len(labels)
    loss.backward()
    optimizer.step()
    return loss.detach().item()
