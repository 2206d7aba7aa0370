# the reference answer with this mistake: softmax score
# --- reference
            (gradients,) = torch.autograd.grad(scores[0, class_idx], activations)
# +++ variant
            (gradients,) = torch.autograd.grad(scores.softmax(dim=1)[0, class_idx], activations)
