# the reference answer with this mistake: unfreezes parameters
# --- reference
            scores = model(x.detach().clone().requires_grad_(True))
# +++ variant
            model.requires_grad_(True)
            scores = model(x)
