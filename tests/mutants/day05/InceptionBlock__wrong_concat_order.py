# the reference answer with this mistake: wrong concat order
# --- reference
        branches = [self.branch1, self.branch3, self.branch5, self.branch_pool]
# +++ variant
        branches = [self.branch1, self.branch5, self.branch3, self.branch_pool]
