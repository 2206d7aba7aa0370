def fix_inference(model, image, mean, std):
    x = (image - mean) / std
    probs = model(x).softmax(dim=0)
    return probs
