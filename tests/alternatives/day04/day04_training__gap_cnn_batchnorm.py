class AnimalNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
        )
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))

    def forward(self, x):
        return self.head(self.body(x))


torch.manual_seed(1)
day04_model = AnimalNet()
device = get_device()
tf = transforms.ToTensor()
train_data = data.dataset("animals", "train", transform=tf)
val_data = data.dataset("animals", "val", transform=tf)
history = fit(day04_model, DataLoader(train_data, batch_size=128, shuffle=True), DataLoader(val_data, batch_size=500),
              epochs=3, lr=3e-3, device=device, checkpoint_path=CHECKPOINT)
