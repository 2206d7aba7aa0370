# the reference answer with this mistake: projection only when channels change
# --- reference
        if stride != 1 or in_channels != out_channels:
# +++ variant
        if in_channels != out_channels:
