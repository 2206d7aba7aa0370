def get_device():
    checks = [("cuda", torch.cuda.is_available), ("mps", torch.backends.mps.is_available)]
    for name, available in checks:
        if available():
            return torch.device(name)
    return torch.device("cpu")
