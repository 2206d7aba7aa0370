# the reference answer with this mistake: flattens the batch
# --- reference
            nn.Flatten(),
# +++ variant
# --- reference
        return self.classifier(self.features(x))
# +++ variant
        return self.classifier(torch.flatten(self.features(x)))
