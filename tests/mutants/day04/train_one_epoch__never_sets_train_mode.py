# the reference answer with this mistake: never sets train mode
# --- reference
    model.train()
# +++ variant
