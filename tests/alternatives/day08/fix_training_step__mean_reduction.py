def fix_training_step(model, images, labels, optimizer):
    model.train(True)
    logits = model(images)
    loss = F.cross_entropy(logits, labels)          # reduction="mean" is the default
    optimizer.zero_grad(set_to_none=False)
    loss.backward()
    optimizer.step()
    return float(loss)
