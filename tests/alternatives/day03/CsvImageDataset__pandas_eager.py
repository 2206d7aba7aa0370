import pandas as pd


class CsvImageDataset(Dataset):
    """Reads every image when the dataset is built (fine for a small folder)."""

    def __init__(self, csv_path, image_root, transform=None):
        table = pd.read_csv(csv_path, dtype=str)
        self.classes = sorted(table["label"].unique().tolist())
        self.class_to_idx = {name: idx for idx, name in enumerate(self.classes)}
        self.transform = transform
        self.images, self.labels = [], []
        for filename, label in zip(table["filename"], table["label"]):
            path = Path(image_root, filename)
            try:
                img = Image.open(path)
                self.images.append(img.convert("RGB"))
                img.close()
            except Exception as err:
                raise ValueError(f"could not load {path}: {err}") from None
            self.labels.append(int(self.class_to_idx[label]))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, idx):
        image = self.images[idx]
        return (self.transform(image) if self.transform is not None else image), self.labels[idx]
