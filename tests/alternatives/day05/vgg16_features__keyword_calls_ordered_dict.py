from collections import OrderedDict


def vgg16_features():
    # keyword arguments, and the five blocks under names of their own
    plan = OrderedDict(block1=(3, 64, 2), block2=(64, 128, 2), block3=(128, 256, 3), block4=(256, 512, 3),
                       block5=(512, 512, 3))
    return nn.Sequential(OrderedDict(
        (name, vgg_block(in_channels=c_in, out_channels=c_out, num_convs=n)) for name, (c_in, c_out, n) in plan.items()))
