def fix_training_step(model, images, labels, optimizer):
    logits = model(images)
    loss = F.cross_entropy(logits, labels, reduction="none")
    loss.backward()
    optimizer.step()
    return loss
