# the reference answer with this mistake: gradient not averaged
# --- reference
    cam = F.relu((alpha * activations).sum(dim=1, keepdim=True)).detach()
# +++ variant
    cam = F.relu((gradients * activations).sum(dim=1, keepdim=True)).detach()
