# the reference answer, but the frozen stages stay in train mode: their batch-norm statistics drift
# --- reference
    model.to(device).eval()                                 # frozen stages in eval mode: their batch norms stay put
    for part in last_stage:
        part.train()
# +++ variant
    model.to(device).train()
