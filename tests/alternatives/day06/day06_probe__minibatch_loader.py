from torch.utils.data import DataLoader, TensorDataset

dev = "cuda" if torch.cuda.is_available() else "cpu"
probe_model.requires_grad_(False)
probe_model.eval().to(dev)
with torch.inference_mode():
    features = probe_model.forward_head(probe_model.forward_features(day06_images.to(dev)), pre_logits=True)
features = features.clone()  # inference tensors cannot be saved for backward
probe_model.reset_classifier(10)
probe_model.classifier.to(dev)
generator = torch.Generator().manual_seed(2)
loader = DataLoader(TensorDataset(features.cpu(), day06_labels), batch_size=20, shuffle=True, generator=generator)
optimizer = torch.optim.AdamW(probe_model.classifier.parameters(), lr=2e-3)
for epoch in range(60):
    for xb, yb in loader:
        optimizer.zero_grad()
        F.cross_entropy(probe_model.classifier(xb.to(dev)), yb.to(dev)).backward()
        optimizer.step()
