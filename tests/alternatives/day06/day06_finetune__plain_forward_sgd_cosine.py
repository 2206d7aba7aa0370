def augment_batch(x):
    # pad with the background colour, cut a random 96 x 96 window per image, mirror half of them
    pad = 8
    padded = F.pad(x, (pad, pad, pad, pad), value=float(x[:, :, 0, 0].mean()))
    out = torch.empty_like(x)
    for i in range(len(x)):
        top, left = torch.randint(0, 2 * pad + 1, (2,)).tolist()
        crop = padded[i, :, top:top + x.shape[2], left:left + x.shape[3]]
        out[i] = crop.flip(-1) if torch.rand(()) < 0.5 else crop
    return out


def finetune_last_stage(model, images, labels, augment, epochs, backbone_lr, head_lr):
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    for p in model.parameters():
        p.requires_grad = False
    model.classifier = nn.Linear(1280, 10)
    top = nn.ModuleList([model.blocks[6], model.conv_head, model.bn2])
    for p in top.parameters():
        p.requires_grad = True
    model.to(dev)
    groups = [{"params": list(m.parameters()), "lr": backbone_lr} for m in top]  # one group per module
    groups.append({"params": list(model.classifier.parameters()), "lr": head_lr})
    opt = torch.optim.SGD(groups, lr=head_lr, momentum=0.9, nesterov=True, weight_decay=5e-4)
    steps_per_epoch = -(-len(images) // 20)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs * steps_per_epoch)
    for _ in range(epochs):
        model.eval()      # frozen batch norms keep their statistics ...
        top.train()       # ... the last stage's follow the new data
        order = torch.randperm(len(images))
        for i in range(0, len(images), 20):
            idx = order[i:i + 20]
            xb = augment(images[idx].to(dev))
            loss = nn.functional.cross_entropy(model(xb), labels[idx].to(dev))  # autograd stops at the frozen part
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    model.eval()
    return opt


torch.manual_seed(11)
finetune_optimizer = finetune_last_stage(finetune_model, day06_images, day06_labels, augment_batch,
                                         epochs=10, backbone_lr=5e-3, head_lr=2e-2)
