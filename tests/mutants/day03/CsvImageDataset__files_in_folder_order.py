class CsvImageDataset(Dataset):
    def __init__(self, csv_path, image_root, transform=None):
        self.image_root = Path(image_root)
        self.transform = transform
        with open(csv_path, newline="") as f:
            self.samples = [(row["filename"], row["label"]) for row in csv.DictReader(f)]
        self.classes = sorted({label for _, label in self.samples})
        self.class_to_idx = {name: i for i, name in enumerate(self.classes)}

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, index):
        # pairs the CSV's labels with the files in sorted folder order
        filename = sorted(p.name for p in self.image_root.iterdir())[index]
        label = self.samples[index][1]
        path = self.image_root / filename
        try:
            with Image.open(path) as opened:
                image = opened.convert("RGB")
        except OSError as exc:
            raise OSError(f"cannot read image {path}: {exc}") from exc
        if self.transform is not None:
            image = self.transform(image)
        return image, self.class_to_idx[label]
