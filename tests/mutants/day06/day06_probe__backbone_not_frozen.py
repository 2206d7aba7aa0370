# the reference answer, but the backbone is never frozen (only the head is trained, yet all of it requires grad)
# --- reference
probe_model.requires_grad_(False)
# +++ variant
