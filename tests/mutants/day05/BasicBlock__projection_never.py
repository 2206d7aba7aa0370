# the reference answer with this mistake: projection never
# --- reference
        if stride != 1 or in_channels != out_channels:
# +++ variant
        if False:
