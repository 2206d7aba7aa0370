# the reference answer with this mistake: fails on frozen model
# --- reference
            scores = model(x.detach().clone().requires_grad_(True))
# +++ variant
            scores = model(x)
