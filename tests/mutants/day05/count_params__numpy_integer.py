
import numpy as np


def count_params(model, trainable_only=False):
    ps = [p for p in model.parameters() if p.requires_grad or not trainable_only]
    return np.sum([np.prod(p.shape) for p in ps], dtype=np.int64)
