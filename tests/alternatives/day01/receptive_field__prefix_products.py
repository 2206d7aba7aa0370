import math

def receptive_field(layers):
    layers = list(layers)
    return 1 + sum((k - 1) * math.prod(s for _, s in layers[:i]) for i, (k, _) in enumerate(layers))
