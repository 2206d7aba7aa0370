import numpy as np
from scipy.signal import correlate2d


def conv2d_manual(x, weight, bias=None, stride=1, padding=0):
    # SciPy's ready-made cross-correlation, one (input channel, filter) pair at a time
    xp = np.pad(x.detach().numpy(), ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    w = weight.detach().numpy()
    out = np.stack([np.stack([sum(correlate2d(xp[b, c], w[f, c], mode="valid") for c in range(w.shape[1]))
                              for f in range(w.shape[0])]) for b in range(xp.shape[0])])
    out = torch.from_numpy(np.ascontiguousarray(out[:, :, ::stride, ::stride])).to(x.dtype)
    if bias is not None:
        out = out + bias.view(1, -1, 1, 1)
    return out
