class CsvImageDataset(Dataset):
    def __init__(self, csv_path, image_root, transform=None):
        self.image_root = Path(image_root)
        self.transform = transform
        with open(csv_path, newline="") as f:
            self.samples = [(row["filename"], row["label"]) for row in csv.DictReader(f)]
        self.classes = sorted({label for _, label in self.samples})
        self.class_to_idx = {name: i for i, name in enumerate(self.classes)}
        # loads and transforms every image once: augmentation is then frozen
        self.items = []
        for filename, label in self.samples:
            path = self.image_root / filename
            try:
                with Image.open(path) as opened:
                    image = opened.convert("RGB")
            except OSError as exc:
                raise OSError(f"cannot read image {path}: {exc}") from exc
            if self.transform is not None:
                image = self.transform(image)
            self.items.append((image, self.class_to_idx[label]))

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, index):
        return self.items[index]

    def _unused(self, index):
        filename, label = self.samples[index]
        path = self.image_root / filename
        try:
            with Image.open(path) as opened:
                image = opened.convert("RGB")
        except OSError as exc:
            raise OSError(f"cannot read image {path}: {exc}") from exc
        if self.transform is not None:
            image = self.transform(image)
        return image, self.class_to_idx[label]
