def get_device():
    return torch.device("cpu")
