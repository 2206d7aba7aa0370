from torchvision.models.feature_extraction import create_feature_extractor, get_graph_node_names


def capture_feature_maps(model, layer_names, x):
    # torchvision traces the model with torch.fx and returns the outputs of graph nodes: no hooks at all
    modules = dict(model.named_modules())
    for name in layer_names:
        if name not in modules:
            raise ValueError(f"the model has no layer named {name!r}")
    was = [m.training for m in model.modules()]
    nodes = get_graph_node_names(model)[1 if not model.training else 0]
    last = {}
    for name in layer_names:
        calls = [n for n in nodes if n == name or n.startswith(name + ".")
                 or (n.startswith(name + "_") and n[len(name) + 1:].isdigit())]
        last[name] = calls[-1]
    out = {}
    for name in layer_names:
        extractor = create_feature_extractor(model, return_nodes={last[name]: "out"})
        extractor.train(model.training)
        with torch.no_grad():
            out[name] = extractor(x)["out"].detach().clone()
    for m, t in zip(model.modules(), was):
        m.training = t
    return out
