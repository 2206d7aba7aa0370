# the reference answer, but the features are cached with the backbone in train mode (batch norm uses batch statistics)
# --- reference
probe_model.to(device).eval()
# +++ variant
probe_model.to(device).train()
# --- reference
print(f"features {tuple(cached.shape)}, final training loss {head_loss.item():.3f}")
# +++ variant
print(f"features {tuple(cached.shape)}, final training loss {head_loss.item():.3f}")
probe_model.eval()
