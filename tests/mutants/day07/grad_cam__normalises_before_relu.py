# the reference answer with this mistake: normalises before relu
# --- reference
    cam = F.relu((alpha * activations).sum(dim=1, keepdim=True)).detach()
# +++ variant
    cam = (alpha * activations).sum(dim=1, keepdim=True).detach()
# --- reference
        return (cam - low) / (high - low)
    return torch.zeros_like(cam)
# +++ variant
        cam = (cam - low) / (high - low)
    return F.relu(cam)
