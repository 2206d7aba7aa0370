# the reference answer with this mistake: float32 heatmap
# --- reference
    cam = F.relu((alpha * activations).sum(dim=1, keepdim=True)).detach()
# +++ variant
    cam = F.relu((alpha * activations).sum(dim=1, keepdim=True)).detach().float()
