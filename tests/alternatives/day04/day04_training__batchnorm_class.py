class AnimalNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.2), nn.Linear(32 * 7 * 7, num_classes))

    def forward(self, x):
        return self.classifier(self.features(x))


day04_model = AnimalNet()
device = get_device()
tf = transforms.ToTensor()
train_data = data.dataset("animals", "train", transform=tf)
val_data = data.dataset("animals", "val", transform=tf)
history = fit(day04_model, DataLoader(train_data, batch_size=64, shuffle=True), DataLoader(val_data, batch_size=500),
              epochs=3, lr=2e-3, device=device, checkpoint_path=CHECKPOINT)
