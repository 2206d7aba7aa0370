# the reference answer with this mistake: no relu
# --- reference
    cam = F.relu((alpha * activations).sum(dim=1, keepdim=True)).detach()
# +++ variant
    cam = (alpha * activations).sum(dim=1, keepdim=True).detach()
