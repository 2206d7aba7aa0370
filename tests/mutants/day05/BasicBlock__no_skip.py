# the reference answer with this mistake: no skip
# --- reference
        return F.relu(out + self.shortcut(x))
# +++ variant
        return F.relu(out)
