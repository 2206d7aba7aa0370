"""The offline pretrained backbone is really ImageNet-trained, and a wrong mapping fails loudly."""

import pytest
import torch
from torch import nn
from torchvision.models import ResNet18_Weights

from course.data import photo
from course.errors import CourseError
from course.pretrained import (CAT_CLASSES, imagenet_label, load_in_order, pretrained_backbone,
                               torchvision_weights_available)


@pytest.fixture(scope="module")
def backbone():
    return pretrained_backbone()


def test_the_backbone_labels_chelsea_a_cat_and_coffee_an_espresso(backbone):
    for name, wanted in (("chelsea", set(CAT_CLASSES)), ("coffee", {967})):
        x = backbone.transform(photo(name))[None]
        with torch.no_grad():
            top = int(backbone.model(x).argmax())
        assert top in wanted, f"{name} labelled {top} ({imagenet_label(top)})"
    assert imagenet_label(282) == "tiger cat"


def test_the_transform_and_the_features(backbone):
    x = backbone.transform(photo("astronaut"))
    assert x.shape == (3, 224, 224) and -1.01 <= float(x.min()) and float(x.max()) <= 1.01
    with torch.no_grad():
        features = backbone.model.forward_head(backbone.model.forward_features(x[None]), pre_logits=True)
    assert features.shape == (1, backbone.num_features) == (1, 1280)


def test_a_mapping_that_does_not_fit_names_the_tensors():
    source = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4)).state_dict()
    with pytest.raises(CourseError, match=r"0.weight \(4, 3, 3, 3\) does not fit 0.weight \(8, 3, 3, 3\)"):
        load_in_order(nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8)), source)
    with pytest.raises(CourseError, match="has 6 tensors, the model 2"):
        load_in_order(nn.Linear(2, 2), source)


def test_torchvision_weights_are_only_used_when_cached(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path))
    assert not torchvision_weights_available(ResNet18_Weights.DEFAULT)
    (tmp_path / "checkpoints").mkdir()
    (tmp_path / "checkpoints" / ResNet18_Weights.DEFAULT.url.rsplit("/", 1)[1]).write_bytes(b"")
    assert torchvision_weights_available(ResNet18_Weights.DEFAULT)
