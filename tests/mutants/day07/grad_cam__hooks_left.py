# the reference answer with this mistake: hooks left
# --- reference
        handle.remove()
# +++ variant
