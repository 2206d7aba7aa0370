# the reference answer with this mistake: keeps first call
# --- reference
            captured[name] = output.detach().clone()
# +++ variant
            captured.setdefault(name, output.detach().clone())
