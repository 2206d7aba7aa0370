from torch.utils.data import DataLoader, TensorDataset

dev = "cuda" if torch.cuda.is_available() else "cpu"
day06_model.requires_grad_(False)
day06_model.eval().to(dev)
with torch.inference_mode():
    features = day06_model.forward_head(day06_model.forward_features(day06_images.to(dev)), pre_logits=True)
features = features.clone()  # inference tensors cannot be saved for backward
day06_model.reset_classifier(10)
day06_model.classifier.to(dev)
generator = torch.Generator().manual_seed(2)
loader = DataLoader(TensorDataset(features.cpu(), day06_labels), batch_size=20, shuffle=True, generator=generator)
optimizer = torch.optim.AdamW(day06_model.classifier.parameters(), lr=2e-3)
for epoch in range(60):
    for xb, yb in loader:
        optimizer.zero_grad()
        F.cross_entropy(day06_model.classifier(xb.to(dev)), yb.to(dev)).backward()
        optimizer.step()
