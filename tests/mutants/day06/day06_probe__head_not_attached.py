device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
probe_model.requires_grad_(False)
probe_model.to(device).eval()
with torch.no_grad():
    cached = probe_model.forward_head(probe_model.forward_features(day06_images.to(device)), pre_logits=True)
targets = day06_labels.to(device)
head = nn.Linear(1280, 10).to(device)
optimizer = torch.optim.Adam(head.parameters(), lr=3e-3, weight_decay=1e-3)
for step in range(300):
    optimizer.zero_grad()
    F.cross_entropy(head(cached), targets).backward()
    optimizer.step()
