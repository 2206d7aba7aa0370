# the reference answer with this mistake: class zero is falsy
# --- reference
            if class_idx is None:
                class_idx = int(scores[0].argmax())
# +++ variant
            class_idx = class_idx or int(scores[0].argmax())
