# the reference answer with this mistake: files in folder order
# --- reference
        filename, label = self.samples[index]
# +++ variant
        # pairs the CSV's labels with the files in sorted folder order
        filename = sorted(p.name for p in self.image_root.iterdir())[index]
        label = self.samples[index][1]
