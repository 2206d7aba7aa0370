"""The explorers' numbers are torch's: every window, value and output map, for random set-ups."""

import math
import random

import pytest
import torch
import torch.nn.functional as F

from course.errors import CourseError
from course.widgets.state import ConvState, PoolState, size_formula


def _random_conv(rng):
    while True:
        c, h, w = rng.randint(1, 3), rng.randint(1, 9), rng.randint(1, 9)
        k, s, p, d = rng.randint(1, 4), rng.randint(1, 3), rng.randint(0, 2), rng.randint(1, 3)
        if h + 2 * p >= d * (k - 1) + 1 and w + 2 * p >= d * (k - 1) + 1:
            return c, h, w, k, s, p, d


@pytest.mark.parametrize("seed", range(40))
def test_conv_state_matches_f_conv2d(seed):
    rng = random.Random(seed)
    c, h, w, k, s, p, d = _random_conv(rng)
    x = torch.randint(-3, 4, (c, h, w)).double()
    weight = torch.randint(-2, 3, (c, k, k)).double()
    bias = rng.choice([0.0, 1.5])
    state = ConvState(x, weight, bias, stride=s, padding=p, dilation=d)
    want = F.conv2d(x[None], weight[None], torch.tensor([bias], dtype=torch.float64), stride=s, padding=p,
                    dilation=d)[0, 0]
    assert state.out_shape == tuple(want.shape)
    assert torch.allclose(state.output_until(state.steps - 1), want)
    for index in range(state.steps):
        i, j = state.position(index)
        assert math.isclose(state.value(index), float(want[i, j]), abs_tol=1e-9)
        assert len(state.window(index)) == c * k * k
        assert state.arithmetic(index).endswith(f"= {state.arithmetic(index).split('= ')[-1]}")
    partial = state.output_until(0)
    assert int(torch.isnan(partial).sum()) == state.steps - 1


def test_conv_arithmetic_spells_out_the_worked_example():
    x = torch.tensor([[1, 2, 3, 0, 1], [0, 1, 2, 1, 0], [1, 0, 1, 2, 1], [2, 1, 0, 1, 2], [0, 2, 1, 0, 1]])
    k = torch.tensor([[1, 0, 1], [0, 1, 0], [1, 0, 1]])
    state = ConvState(x, k)
    assert state.arithmetic(0) == "1·1 + 2·0 + 3·1 + 0·0 + 1·1 + 2·0 + 1·1 + 0·0 + 1·1 = 7"
    assert state.window(0)[:3] == [(0, 0, 0), (0, 0, 1), (0, 0, 2)]
    assert state.formulas()[0] == "⌊(5 + 2·0 − 1·(3 − 1) − 1) / 1⌋ + 1 = ⌊2 / 1⌋ + 1 = 3"


def test_dilated_window_skips_cells():
    state = ConvState(torch.arange(49.).reshape(7, 7), torch.ones(3, 3), dilation=2, padding=1)
    assert [cell[1:] for cell in state.window(0)][:3] == [(0, 0), (0, 2), (0, 4)]
    assert state.out_shape == (5, 5)


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("mode", ["max", "avg"])
def test_pool_state_matches_torch(seed, mode):
    rng = random.Random(seed)
    h, w, k = rng.randint(1, 9), rng.randint(1, 9), rng.randint(1, 3)
    if min(h, w) < k:
        h, w = h + k, w + k
    stride = rng.choice([None, 1, 2, 3])
    x = torch.randint(0, 9, (h, w)).double()
    state = PoolState(x, k, stride, mode)
    pool = F.max_pool2d if mode == "max" else F.avg_pool2d
    want = pool(x[None, None], k, stride)[0, 0]
    assert state.out_shape == tuple(want.shape)
    assert torch.allclose(state.output_until(state.steps - 1), want)
    for index in range(state.steps):
        if mode == "max":
            r, c = state.winner(index)
            assert x[r, c] == state.value(index) and (r, c) in state.window(index)
        else:
            assert state.winner(index) is None


def test_pool_arithmetic():
    x = torch.tensor([[1., 3, 2, 4], [2, 2, 1, 0], [5, 0, 1, 1], [1, 2, 3, 4]])
    assert PoolState(x, 2).arithmetic(1) == "max(2, 4, 1, 0) = 4"
    assert PoolState(x, 2, mode="avg").arithmetic(0) == "(1 + 3 + 2 + 2) / 4 = 8 / 4 = 2"


@pytest.mark.parametrize("make, message", [
    (lambda: ConvState(torch.zeros(2, 3, 3), torch.zeros(3, 2, 2)), "2 channels but the kernel has 3"),
    (lambda: ConvState(torch.zeros(2, 2), torch.zeros(3, 3)), "does not fit"),
    (lambda: ConvState(torch.zeros(4, 4), torch.zeros(3, 3), stride=0), "stride >= 1"),
    (lambda: ConvState(torch.zeros(4, 4), torch.zeros(3, 3)).position(4), "outside 0..3"),
    (lambda: PoolState(torch.zeros(3, 3), 2, mode="median"), "'max' or 'avg'"),
    (lambda: PoolState(torch.zeros(1, 3), 2), "does not fit"),
])
def test_bad_set_ups_are_clear_errors(make, message):
    with pytest.raises(CourseError, match=message):
        make()


def test_size_formula_matches_nn_conv2d():
    layer = torch.nn.Conv2d(1, 1, 3, stride=2, padding=1, dilation=2)
    out = layer(torch.zeros(1, 1, 32, 32)).shape[-1]
    assert size_formula(32, 3, 2, 1, 2).endswith(f"= {out}")
