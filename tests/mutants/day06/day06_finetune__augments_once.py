# the reference answer, but one augmented copy is made before training and reused in every epoch
# --- reference
    images, labels = images.to(device), labels.to(device)
# +++ variant
    images, labels = images.to(device), labels.to(device)
    augmented = augment(images)                             # one augmented copy, used in every epoch
# --- reference
            x = augment(images[batch])                      # a new random version of each image, every epoch
# +++ variant
            x = augmented[batch]
