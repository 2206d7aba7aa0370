# the reference answer with this mistake: relu on branch only
# --- reference
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))
# +++ variant
        out = F.relu(self.bn2(self.conv2(out)))
        return out + self.shortcut(x)
