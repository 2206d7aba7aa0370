"""course.transfer: the silhouettes prepared for the pretrained backbone, and the from-scratch baseline."""

import numpy as np
import pytest
import torch

from course import transfer


def test_to_backbone_input_inverts_resizes_normalizes_and_repeats():
    images = np.zeros((2, 28, 28), dtype=np.uint8)
    images[1] = 255
    x = transfer.to_backbone_input(images)
    assert x.shape == (2, 3, transfer.IMAGE_SIZE, transfer.IMAGE_SIZE) and x.dtype == torch.float32
    # black background -> white after inversion -> (1 - 0.5) / 0.5 = 1; white -> -1
    assert torch.equal(x[0], torch.ones_like(x[0])) and torch.equal(x[1], -torch.ones_like(x[1]))
    plain = transfer.to_backbone_input(images, size=32, invert=False)
    assert plain.shape == (2, 3, 32, 32) and plain[0].max() == -1 and plain[1].min() == 1
    assert torch.equal(plain[:, 0], plain[:, 2])


def test_to_backbone_input_refuses_what_is_not_grayscale_uint8():
    with pytest.raises(ValueError, match=r"uint8 images of shape \(N, H, W\)"):
        transfer.to_backbone_input(np.zeros((2, 28, 28), dtype=np.float32))
    with pytest.raises(ValueError, match="uint8"):
        transfer.to_backbone_input(np.zeros((2, 28, 28, 3), dtype=np.uint8))


def test_scratch_baseline_learns_and_restores_threads():
    rng = np.random.default_rng(0)
    labels = np.arange(20) % 2
    images = np.where(labels[:, None, None] == 1, 200, 20).astype(np.uint8) + rng.integers(0, 30, (20, 28, 28), dtype=np.uint8)
    threads = torch.get_num_threads()
    model = transfer.train_scratch(images, labels, epochs=5, seed=1)
    assert torch.get_num_threads() == threads
    assert not model.training
    x = torch.from_numpy(images).float().div(255).unsqueeze(1)
    assert transfer.accuracy(model, x, labels) == 1.0
    assert sum(p.numel() for p in transfer.scratch_cnn(10).parameters()) == 105_866  # 16*9+16 + 32*16*9+32 + 1568*64+64 + 64*10+10


def test_scratch_baseline_trains_on_what_augment_returns():
    labels = np.arange(20) % 2
    images = np.where(labels[:, None, None] == 1, 220, 30).astype(np.uint8) * np.ones((1, 28, 28), np.uint8)
    seen = []

    def augment(x):
        assert x.shape[1:] == (1, 28, 28) and x.dtype == torch.float32 and 0 <= x.min() and x.max() <= 1
        seen.append(len(x))
        return 1 - x  # the network only ever sees the inverted images

    model = transfer.train_scratch(images, labels, epochs=5, batch_size=10, seed=2, augment=augment)
    assert seen == [10, 10] * 5
    x = torch.from_numpy(images).float().div(255).unsqueeze(1)
    assert transfer.accuracy(model, 1 - x, labels) == 1.0
