# the reference answer with this mistake: wrong class argmin
# --- reference
                class_idx = int(scores[0].argmax())
# +++ variant
                class_idx = int(scores[0].argmin())
