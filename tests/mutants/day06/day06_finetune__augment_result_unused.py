# the reference answer, but augment is called in the loop, but its result is thrown away
# --- reference
            x = augment(images[batch])                      # a new random version of each image, every epoch
# +++ variant
            x = images[batch]
            augment(x)
