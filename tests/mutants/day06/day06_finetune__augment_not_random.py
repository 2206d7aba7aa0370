def augment_batch(x):
    return torch.flip(x, dims=[3])  # every image mirrored, the same way on every call


def finetune_last_stage(model, images, labels, augment, epochs, backbone_lr, head_lr):
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model.requires_grad_(False)
    model.reset_classifier(10)                              # the new head: created after freezing, so trainable
    last_stage = [model.blocks[6], model.conv_head, model.bn2]
    for part in last_stage:
        part.requires_grad_(True)
    model.to(device).eval()                                 # frozen stages in eval mode: their batch norms stay put
    for part in last_stage:
        part.train()
    optimizer = torch.optim.Adam([
        {"params": [p for part in last_stage for p in part.parameters()], "lr": backbone_lr},
        {"params": model.classifier.parameters(), "lr": head_lr},
    ], weight_decay=1e-4)
    images, labels = images.to(device), labels.to(device)
    for epoch in range(epochs):
        for batch in torch.randperm(len(images)).split(25):
            x = augment(images[batch])                      # a new random version of each image, every epoch
            with torch.no_grad():                           # the frozen stages need no gradients
                z = model.blocks[:6](model.bn1(model.conv_stem(x)))
            features = model.forward_head(model.bn2(model.conv_head(model.blocks[6](z))), pre_logits=True)
            loss = F.cross_entropy(model.classifier(features), labels[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    model.eval()
    return optimizer


torch.manual_seed(6)
start = time.perf_counter()
finetune_optimizer = finetune_last_stage(finetune_model, day06_images, day06_labels, augment_batch,
                                         epochs=10, backbone_lr=3e-4, head_lr=3e-3)
print(f"fine-tuned for 10 epochs in {time.perf_counter() - start:.1f} s")
