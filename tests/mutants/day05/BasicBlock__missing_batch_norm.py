# the reference answer with this mistake: missing batch norm
# --- reference
        self.bn1 = nn.BatchNorm2d(out_channels)
# +++ variant
# --- reference
        self.bn2 = nn.BatchNorm2d(out_channels)
# +++ variant
# --- reference
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
# +++ variant
        out = F.relu(self.conv1(x))
        out = self.conv2(out)
