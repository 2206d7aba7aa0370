day04_model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 7 * 7, 64), nn.ReLU(), nn.Linear(64, 10),
)
to_tensor = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5], [0.05])])
train_loader = DataLoader(data.dataset("animals", "train", transform=to_tensor), batch_size=64, shuffle=True)
val_loader = DataLoader(data.dataset("animals", "val", transform=to_tensor), batch_size=256)
history = fit(day04_model, train_loader, val_loader, epochs=4, lr=2e-3, device=get_device(),
              checkpoint_path=CHECKPOINT)
print(history)
