# the reference answer with this mistake: leaves eval mode
# --- reference
        for module, mode in modes.items():
            module.training = mode
# +++ variant
