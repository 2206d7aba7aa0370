class _Recorder:
    def __init__(self, name, store):
        self.name, self.store = name, store

    def __call__(self, module, inputs, output):
        self.store[self.name] = output.clone().detach()


def capture_feature_maps(model, layer_names, x):
    layers = []
    for name in layer_names:
        try:
            layers.append(model.get_submodule(name))
        except AttributeError:
            raise ValueError(f"{name} is not a layer of this model") from None
    store = {}
    handles = []
    try:
        for name, layer in zip(layer_names, layers):
            handles.append(layer.register_forward_hook(_Recorder(name, store)))
        model(x)
    finally:
        while handles:
            handles.pop().remove()
    return store
