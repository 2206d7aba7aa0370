def activation_memory_bytes(model, input_shape, dtype=torch.float32):
    bytes_per_number = torch.empty(0, dtype=dtype).element_size()
    return sum(p.numel() for p in model.parameters()) * bytes_per_number
