# the reference answer with this mistake: returns requires grad
# --- reference
            (gradients,) = torch.autograd.grad(scores[0, class_idx], activations)
# +++ variant
            (gradients,) = torch.autograd.grad(scores[0, class_idx], activations, create_graph=True)
# --- reference
    cam = F.relu((alpha * activations).sum(dim=1, keepdim=True)).detach()
# +++ variant
    cam = F.relu((alpha * activations).sum(dim=1, keepdim=True))
