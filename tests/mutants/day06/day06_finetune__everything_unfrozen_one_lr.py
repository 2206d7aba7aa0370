# the reference answer, but the whole network trains, in train mode, at one learning rate (3 epochs, to keep the time)
# --- reference
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
# +++ variant
    model.reset_classifier(10)
    model.to(device).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=backbone_lr)  # everything trains, at one rate
# --- reference
            with torch.no_grad():                           # the frozen stages need no gradients
                z = model.blocks[:6](model.bn1(model.conv_stem(x)))
            features = model.forward_head(model.bn2(model.conv_head(model.blocks[6](z))), pre_logits=True)
# +++ variant
            features = model.forward_head(model.forward_features(x), pre_logits=True)
# --- reference
                                         epochs=10, backbone_lr=3e-4, head_lr=3e-3)
print(f"fine-tuned for 10 epochs in {time.perf_counter() - start:.1f} s")
# +++ variant
                                         epochs=3, backbone_lr=3e-4, head_lr=3e-3)
print(f"fine-tuned for 3 epochs in {time.perf_counter() - start:.1f} s")
