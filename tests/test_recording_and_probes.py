"""The instruments the Day 4 tests rely on must see what they claim to see."""

import torch
import torch.nn.functional as F

from course import recording
from course.probes import DeviceProbeNet, ProbeLoss, ProbeNet, cross_entropy_is


def test_recorder_sees_autocast_and_scaler_steps_and_stops_cleanly():
    enter = torch.amp.autocast_mode.autocast.__enter__
    rec = recording.start_recording()
    try:
        model = torch.nn.Linear(3, 2)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        scaler = torch.amp.GradScaler("cpu")
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = model(torch.randn(4, 3)).float().pow(2).mean()
        with torch.autocast("cpu", enabled=False):
            pass
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        assert rec.used_autocast("cpu") and not rec.used_autocast("cuda")
        assert rec.autocast == {("cpu", "bfloat16"): 1}, "a disabled autocast region must not count"
        assert rec.scaler_steps == 1
        assert recording.current() is rec
    finally:
        rec.stop()
    assert torch.amp.autocast_mode.autocast.__enter__ is enter


def test_a_fresh_recorder_has_seen_nothing():
    rec = recording.TrainingRecorder()
    assert not rec.used_autocast("cuda") and rec.scaler_steps == 0
    assert "none" in rec.summary()


def test_probe_net_records_mode_grad_and_device():
    net = ProbeNet()
    net(torch.randn(2, 4))
    net.eval()
    with torch.no_grad():
        net(torch.randn(3, 4))
    first, second = net.calls
    assert (first.training, first.grad_enabled, first.batch) == (True, True, 2)
    assert (second.training, second.grad_enabled, second.batch) == (False, False, 3)


def test_device_probe_stays_put_and_sees_where_batches_arrive():
    net, loss_fn = DeviceProbeNet(), ProbeLoss()
    assert net.to(torch.device("meta")) is net and net.fc.weight.device.type == "cpu"
    out = net(torch.randn(2, 4, device="meta"))
    loss_fn(out, torch.zeros(2, dtype=torch.long)).backward()
    assert [c.device for c in net.calls] == ["meta"] and loss_fn.target_devices == ["cpu"]
    assert net.fc.weight.grad is not None


def test_cross_entropy_is_tells_losses_apart():
    assert cross_entropy_is(torch.nn.CrossEntropyLoss())
    assert cross_entropy_is(F.cross_entropy)
    assert not cross_entropy_is(torch.nn.MSELoss())
    assert not cross_entropy_is(lambda out, y: F.cross_entropy(out, y, reduction="sum"))
