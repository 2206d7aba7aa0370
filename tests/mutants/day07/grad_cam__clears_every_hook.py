# the reference answer with this mistake: clears every hook
# --- reference
    handle = target_layer.register_forward_hook(lambda module, inputs, output: captured.append(output))
# +++ variant
    target_layer.register_forward_hook(lambda module, inputs, output: captured.append(output))
# --- reference
        handle.remove()
# +++ variant
        target_layer._forward_hooks.clear()
