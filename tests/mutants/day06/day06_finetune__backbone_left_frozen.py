# the reference answer, but the last stage is never unfrozen: only the head trains
# --- reference
    for part in last_stage:
        part.requires_grad_(True)
# +++ variant
