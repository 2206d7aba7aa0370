# the reference answer with this mistake: input requires grad in place
# --- reference
            scores = model(x.detach().clone().requires_grad_(True))
# +++ variant
            scores = model(x.requires_grad_(True))
