# the reference answer with this mistake: error without filename
# --- reference
        try:
            with Image.open(path) as opened:
                image = opened.convert("RGB")
        except OSError as exc:
            raise OSError(f"cannot read image {path}: {exc}") from exc
# +++ variant
        image = Image.open(path).convert("RGB")
