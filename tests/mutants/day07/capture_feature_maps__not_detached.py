# the reference answer with this mistake: not detached
# --- reference
            captured[name] = output.detach().clone()
# +++ variant
            captured[name] = output.clone()
# --- reference
        with torch.no_grad():
            model(x)
# +++ variant
        model(x)
