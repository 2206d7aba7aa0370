# the reference answer with this mistake: concat on batch
# --- reference
        return torch.cat([branch(x) for branch in branches], dim=1)
# +++ variant
        return torch.cat([branch(x) for branch in branches], dim=0)
