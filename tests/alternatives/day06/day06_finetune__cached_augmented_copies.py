import math


def augment_batch(x):
    # a small random rotation, zoom and shift per image, and a mirror for half of them
    n = len(x)
    angle = (torch.rand(n) - 0.5) * (math.pi / 9)          # within +-10 degrees
    scale = 1 + (torch.rand(n) - 0.5) * 0.2
    flip = (torch.rand(n) < 0.5).float() * -2 + 1
    cos, sin = torch.cos(angle) * scale, torch.sin(angle) * scale
    theta = torch.stack([torch.stack([cos * flip, -sin, (torch.rand(n) - 0.5) * 0.2], 1),
                         torch.stack([sin * flip, cos, (torch.rand(n) - 0.5) * 0.2], 1)], 1).to(x)
    grid = F.affine_grid(theta, x.shape, align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


def finetune_last_stage(model, images, labels, augment, epochs, backbone_lr, head_lr):
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model.requires_grad_(False)
    model.to(device).eval()        # every batch norm keeps its statistics, the last stage's too
    images, labels = images.to(device), labels.to(device)

    def frozen_part(x):
        with torch.no_grad():
            return model.blocks[:6](model.bn1(model.conv_stem(x)))

    def last_stage(z):
        return model.forward_head(model.bn2(model.conv_head(model.blocks[6](z))), pre_logits=True)

    # gradual unfreezing: first the new head alone, on features of the clean images
    model.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(1280, 10)).to(device)
    with torch.no_grad():
        clean = last_stage(frozen_part(images))
    warmup = torch.optim.AdamW(model.classifier.parameters(), lr=head_lr)
    for _ in range(100):
        warmup.zero_grad()
        F.cross_entropy(model.classifier(clean), labels).backward()
        warmup.step()

    # then the last stage too; augmentation done up front: one fresh draw of every image per epoch,
    # each pushed through the frozen stages once and cached
    cached = torch.cat([frozen_part(augment(images)) for _ in range(epochs)])
    targets = labels.repeat(epochs)
    stage_params = [p for m in (model.blocks[6], model.conv_head, model.bn2) for p in m.parameters()]
    for p in stage_params:
        p.requires_grad_(True)
    opt = torch.optim.AdamW([{"params": stage_params, "lr": backbone_lr},
                             {"params": model.classifier.parameters(), "lr": head_lr}], weight_decay=1e-3)
    model.classifier.train()
    for _ in range(2):             # two passes over the cached copies: cheap, no frozen stage runs
        for idx in torch.randperm(len(cached), device=device).split(32):
            opt.zero_grad()
            F.cross_entropy(model.classifier(last_stage(cached[idx])), targets[idx]).backward()
            opt.step()
    model.eval()
    return opt


torch.manual_seed(3)
finetune_optimizer = finetune_last_stage(finetune_model, day06_images, day06_labels, augment_batch,
                                         epochs=8, backbone_lr=1e-4, head_lr=2e-3)
