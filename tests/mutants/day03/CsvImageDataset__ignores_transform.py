# the reference answer with this mistake: ignores transform
# --- reference
        if self.transform is not None:
            image = self.transform(image)
# +++ variant
