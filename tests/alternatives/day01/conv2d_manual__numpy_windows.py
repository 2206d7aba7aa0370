import numpy as np


def conv2d_manual(x, weight, bias=None, stride=1, padding=0):
    # NumPy views of every window (no copying), then one einsum over channels and kernel positions
    kh, kw = weight.shape[2:]
    xp = np.pad(x.detach().cpu().numpy(), ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    windows = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    out = np.einsum("nchwij,fcij->nfhw", windows, weight.detach().cpu().numpy())
    out = torch.from_numpy(np.ascontiguousarray(out)).to(x.dtype)
    if bias is not None:
        out = out + bias.reshape(1, -1, 1, 1)
    return out
