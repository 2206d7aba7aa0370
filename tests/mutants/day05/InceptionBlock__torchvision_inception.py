from torchvision.models.googlenet import Inception


class InceptionBlock(Inception):
    # torchvision's Inception block, its convs swapped for conv + ReLU and branch 3 given its 5x5 back
    def __init__(self, in_channels, c1, c3_reduce, c3, c5_reduce, c5, pool_proj):
        def conv_relu(c_in, c_out, kernel_size, padding=0):
            if (c_in, c_out) == (c5_reduce, c5) and kernel_size == 3:
                kernel_size, padding = 5, 2
            return nn.Sequential(nn.Conv2d(c_in, c_out, kernel_size, padding=padding), nn.ReLU())
        super().__init__(in_channels, c1, c3_reduce, c3, c5_reduce, c5, pool_proj, conv_block=conv_relu)
