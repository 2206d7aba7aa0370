# the reference answer with this mistake: no rgb convert
# --- reference
            with Image.open(path) as opened:
                image = opened.convert("RGB")
# +++ variant
            image = Image.open(path)
