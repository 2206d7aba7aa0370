# the reference answer with this mistake: label string
# --- reference
        return image, self.class_to_idx[label]
# +++ variant
        return image, label
