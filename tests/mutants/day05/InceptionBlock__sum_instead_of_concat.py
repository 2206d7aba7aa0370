# the reference answer with this mistake: sum instead of concat
# --- reference
        return torch.cat([branch(x) for branch in branches], dim=1)
# +++ variant
        return sum(branch(x) for branch in branches)
