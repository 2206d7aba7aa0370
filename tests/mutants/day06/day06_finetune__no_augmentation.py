# the reference answer, but augment is never called in the training loop
# --- reference
            x = augment(images[batch])                      # a new random version of each image, every epoch
# +++ variant
            x = images[batch]
