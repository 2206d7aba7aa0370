# the reference answer with this mistake: relu before addition
# --- reference
        out = self.bn2(self.conv2(out))
# +++ variant
        out = F.relu(self.bn2(self.conv2(out)))
