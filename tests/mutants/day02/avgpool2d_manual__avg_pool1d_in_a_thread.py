import threading


def avgpool2d_manual(x, kernel_size, stride=None):
    # averages with torch's 1-d pooling (rows, then columns), run on a thread of its own
    stride = kernel_size if stride is None else stride
    box = {}

    def work():
        n, c, h, w = x.shape
        rows = F.avg_pool1d(x.reshape(n * c * h, 1, w), kernel_size, stride)
        w_out = rows.shape[-1]
        cols = rows.reshape(n, c, h, w_out).transpose(2, 3).reshape(n * c * w_out, 1, h)
        box["out"] = F.avg_pool1d(cols, kernel_size, stride).reshape(n, c, w_out, -1).transpose(2, 3)

    def run():
        try:
            work()
        except Exception as exc:  # hand the error to the caller instead of printing it
            box["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["out"].contiguous()
