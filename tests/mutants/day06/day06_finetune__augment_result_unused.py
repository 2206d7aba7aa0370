def augment_batch(x):
    # a random mirror, zoom (0.85 to 1.15) and shift (up to 10 % of the side) for each image,
    # as one affine map per image; "border" fills the edges with the background
    n = x.shape[0]
    zoom = torch.empty(n, device=x.device).uniform_(0.85, 1.15)
    mirror = torch.where(torch.rand(n, device=x.device) < 0.5, -1.0, 1.0)
    theta = torch.zeros(n, 2, 3, device=x.device)
    theta[:, 0, 0] = zoom * mirror
    theta[:, 1, 1] = zoom
    theta[:, :, 2] = torch.empty(n, 2, device=x.device).uniform_(-0.1, 0.1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, padding_mode="border", align_corners=False)


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
            x = images[batch]
            augment(x)
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
