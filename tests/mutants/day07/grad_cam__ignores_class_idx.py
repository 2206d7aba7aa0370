# the reference answer with this mistake: ignores class idx
# --- reference
            if class_idx is None:
                class_idx = int(scores[0].argmax())
# +++ variant
            class_idx = int(scores[0].argmax())
