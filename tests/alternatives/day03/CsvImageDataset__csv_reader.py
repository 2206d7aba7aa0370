import csv
import os

from PIL import Image
from torch.utils.data import Dataset


class CsvImageDataset(Dataset):
    def __init__(self, csv_path, image_root, transform=None):
        with open(csv_path) as f:
            reader = csv.reader(f)
            header = next(reader)
            col_file, col_label = header.index("filename"), header.index("label")
            self.rows = [(r[col_file], r[col_label]) for r in reader if r]
        self.image_root = str(image_root)
        self.transform = transform
        self.classes = sorted(set(label for _, label in self.rows))
        self.class_to_idx = {c: self.classes.index(c) for c in self.classes}
        self.targets = [self.class_to_idx[label] for _, label in self.rows]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        path = os.path.join(self.image_root, self.rows[i][0])
        if not os.path.exists(path):
            raise FileNotFoundError(f"image file not found: {path}")
        try:
            img = Image.open(path)
            img.load()
        except Exception as e:
            raise RuntimeError(f"{path} is not a readable image ({e})") from e
        img = img.convert("RGB")
        if self.transform:
            img = self.transform(img)
        return img, self.targets[i]
