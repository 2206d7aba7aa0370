def receptive_field(layers):
    return 1 + sum(k - 1 for k, s in layers)
