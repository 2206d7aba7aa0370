# the reference answer, but the head is hardly trained and the accuracy targets are lowered to match
# --- reference
head_optimizer = torch.optim.Adam(probe_model.classifier.parameters(), lr=3e-3, weight_decay=1e-3)
for step in range(300):
# +++ variant
head_optimizer = torch.optim.SGD(probe_model.classifier.parameters(), lr=1e-3)
for step in range(3):
# --- reference
print(f"features {tuple(cached.shape)}, final training loss {head_loss.item():.3f}")
# +++ variant
print(f"features {tuple(cached.shape)}, final training loss {head_loss.item():.3f}")
TARGET_ACCURACY = PROBE_TARGET = FINETUNE_TARGET = 0.0
