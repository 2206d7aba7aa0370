# the reference answer, but the rates swapped: the new head learns more slowly than the pretrained stage
# --- reference
                                         epochs=10, backbone_lr=3e-4, head_lr=3e-3)
# +++ variant
                                         epochs=10, backbone_lr=3e-3, head_lr=3e-4)
