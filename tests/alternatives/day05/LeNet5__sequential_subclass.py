class LeNet5(nn.Sequential):
    def __init__(self, num_classes=10):
        layers = []
        for c_in, c_out in ((1, 6), (6, 16)):
            layers += [nn.Conv2d(c_in, c_out, kernel_size=5, padding=0), nn.Tanh(), nn.AvgPool2d(2)]
        layers.append(nn.Flatten())
        for n_in, n_out in ((400, 120), (120, 84)):
            layers += [nn.Linear(n_in, n_out), nn.Tanh()]
        layers.append(nn.Linear(84, num_classes))
        super().__init__(*layers)
