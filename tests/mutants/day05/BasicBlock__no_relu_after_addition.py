# the reference answer with this mistake: no relu after addition
# --- reference
        return F.relu(out + self.shortcut(x))
# +++ variant
        return out + self.shortcut(x)
