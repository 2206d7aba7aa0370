"""The instruments the Day 4 tests rely on must see what they claim to see."""

import torch
import torch.nn.functional as F

from course import recording
from course.probes import (ArrivalProbeNet, DeviceProbeNet, PlacementProbeNet, ProbeLoss, ProbeNet, arrived_on,
                           cross_entropy_is, meta_moves_stay_on_cpu)


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


def test_arrival_probe_sees_batches_sent_to_meta_and_computes_real_numbers():
    net = ArrivalProbeNet(seed=3)
    x = torch.randn(5, 4)
    want = net(x).detach()
    net.calls.clear()
    meta = torch.device("meta")
    with meta_moves_stay_on_cpu():
        assert net.to(meta) is net and net.fc.weight.device.type == "cpu"
        moved = x.to(meta)
        x.to(meta)                                       # thrown away: x itself must not count as moved
        out = net(moved)
        net(x)
        net(x.to(device=meta, non_blocking=True).float())
        counter = torch.zeros((), device=meta)           # a factory asked for the device
        counter += (out.argmax(1) == torch.arange(5).to("meta")).sum()
        with torch.autocast(device_type=meta.type):      # a disabled region, as on a GPU without amp
            net(moved)
    assert [c.device for c in net.calls] == ["meta", "cpu", "meta", "meta"]
    assert arrived_on(moved) == "meta" and arrived_on(x) == "cpu" and x.device.type == moved.device.type == "cpu"
    assert torch.allclose(out, want) and counter.device.type == "cpu"
    assert counter.item() == (want.argmax(1) == torch.arange(5)).sum().item()
    assert torch.ones(2).to(meta).is_meta, "outside the context a move to meta is a real move"


def test_placement_probe_records_moves_without_moving():
    net = PlacementProbeNet(seed=1)
    assert net.to("cuda") is net and net.to(torch.device("cuda", 0), non_blocking=True) is net
    net.to(device="cpu")
    net.to(torch.float32)                                # no device: nothing recorded
    net.cuda()
    net.cpu()
    assert net.placed == ["cuda", "cuda", "cpu", "cuda", "cpu"]
    assert {p.device.type for p in net.parameters()} == {"cpu"}
