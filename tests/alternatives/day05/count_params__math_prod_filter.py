import math


def count_params(model, trainable_only=False):
    params = model.parameters()
    if trainable_only:
        params = filter(lambda t: t.requires_grad, params)
    return sum((math.prod(t.shape) for t in params), 0)
