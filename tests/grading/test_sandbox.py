"""The grading kernel's sandbox, limits and guard, one notebook at a time (course.grading.safe_execute).

Each check runs a small notebook through SafeExecute exactly as `course grade`
does and reads back what happened. Every attack here is bounded, so a limit that
is not in force cannot harm the machine (the loops end, the memory and process
counts stop). Checks that need root and namespaces skip with the reason where
the machine has none.
"""

import os
import socket
import threading
import time
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course.grading import sandbox
from course.grading.safe_execute import METADATA_KEY, SafeExecute, with_end_marker
from course.syllabus import REPO_ROOT

CAPS = sandbox.capabilities()
needs = {name: pytest.mark.skipif(not getattr(CAPS, name), reason=f"this machine gives no {name.replace('_', ' ')}: "
                                  + CAPS.describe()) for name in ("uid_drop", "mount_namespace", "network_namespace",
                                                                  "pid_namespace")}
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("sandbox")]


def grade_cell(source: str, gid: str, points: int = 1):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": gid,
                                 "points": points, "schema_version": 3}
    return cell


def run(*cells, **settings):
    nb = new_notebook(cells=list(cells))
    settings.setdefault("timeout", 20)
    nb, _ = SafeExecute(**settings).preprocess(nb, {"metadata": {"path": str(REPO_ROOT)}})
    return nb


def text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")


def error(cell) -> str:
    errs = [f"{o.get('ename')}: {o.get('evalue')}" for o in cell.outputs if o.get("output_type") == "error"]
    return errs[0] if errs else ""


def flags(nb) -> str:
    return " | ".join(nb.metadata[METADATA_KEY]["flags"])


@needs["uid_drop"]
@needs["mount_namespace"]
def test_kernel_sees_only_its_own_folder(tmp_path):
    secret = tmp_path / "other-student.ipynb"
    secret.write_text("answers")
    probe = f"""
import os, pathlib
print("uid", os.getuid())
print("cwd", os.listdir("."))
print("secret", os.path.exists({str(secret)!r}))
print("solutions", os.path.exists({str(REPO_ROOT / 'solutions')!r}))
print("repo", sorted(os.listdir({str(REPO_ROOT)!r})))
print("beside", sorted(os.listdir({str(REPO_ROOT.parent)!r})))
print("root", sorted(os.listdir("/")))
print("tmp", os.listdir("/tmp"))
for target in ({str(REPO_ROOT / 'planted.txt')!r}, {str(tmp_path / 'planted.txt')!r}, "/root/planted.txt"):
    try:
        open(target, "w").write("x")
        print("wrote", target)
    except OSError as exc:
        print("refused", target, type(exc).__name__)
"""
    nb = run(new_code_cell(probe))
    out = text(nb.cells[0])
    assert "uid 0" not in out and "uid " in out, out
    assert "secret False" in out and "solutions False" in out, out
    repo_line = next(line for line in out.splitlines() if line.startswith("repo"))
    assert "solutions" not in repo_line and "autograder" not in repo_line and "tests" not in repo_line, repo_line
    assert "'course'" in repo_line, "the kernel must still import the course package: " + repo_line
    beside = next(line for line in out.splitlines() if line.startswith("beside"))
    assert beside == f"beside {[REPO_ROOT.name]}", f"other checkouts beside the course must not be visible: {beside}"
    root_line = next(line for line in out.splitlines() if line.startswith("root"))
    assert "'home'" not in root_line and "'mnt'" not in root_line, f"only listed folders may exist: {root_line}"
    tmp_line = next(line for line in out.splitlines() if line.startswith("tmp"))
    assert tmp_line.count("cg-") == 1, f"the kernel must see no other kernel's folder: {tmp_line}"
    assert not (REPO_ROOT / "planted.txt").exists() and not (tmp_path / "planted.txt").exists()
    assert not Path("/root/planted.txt").exists()


@needs["network_namespace"]
def test_no_network_not_even_the_graders_loopback():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.2)
    port = server.getsockname()[1]
    accepted = []

    def accept():
        end = time.monotonic() + 30
        while time.monotonic() < end and not accepted:
            try:
                accepted.append(server.accept())
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    probe = f"""
import socket
for host, port in (("127.0.0.1", {port}), ("1.1.1.1", 443)):
    s = socket.socket(); s.settimeout(2)
    try:
        s.connect((host, port)); print("connected", host)
    except OSError as exc:
        print("no connection", host, exc)
"""
    nb = run(new_code_cell(probe))
    accepted.append(None)
    thread.join()
    server.close()
    assert "connected" not in text(nb.cells[0]).replace("no connection", ""), text(nb.cells[0])
    assert accepted == [None], "the grader's server was reached from the sandbox"


def test_limits_memory_processes_file_size():
    nb = run(new_code_cell("chunks = []\nfor _ in range(60):\n    chunks.append(bytearray(100 * 2**20))"),
             new_code_cell("del chunks\nimport os, time\nkids = []\ntry:\n    for _ in range(400):\n        pid = os.fork()\n"
                           "        if pid == 0:\n            time.sleep(20); os._exit(0)\n        kids.append(pid)\n"
                           "finally:\n    print('forked', len(kids))"),
             new_code_cell("open('big.bin', 'wb').write(b'0' * (80 * 2**20))"),
             grade_cell("print('still graded')", "after_limits"),
             memory_mb=5120, processes=64, file_size_mb=16)
    assert error(nb.cells[0]).startswith("MemoryError"), error(nb.cells[0])
    assert error(nb.cells[1]).startswith("BlockingIOError"), error(nb.cells[1])
    assert int(text(nb.cells[1]).split()[1]) < 64, text(nb.cells[1])
    assert "File too large" in error(nb.cells[2]), error(nb.cells[2])
    assert "still graded" in text(nb.cells[3]) and not error(nb.cells[3])


def test_cpu_limit_kills_the_kernel_and_keeps_what_ran():
    nb = run(grade_cell("print('earned')", "before"),
             new_code_cell("import time\nend = time.time() + 60\nwhile time.time() < end:\n    pass"),
             grade_cell("print('too late')", "after"),
             cpu_seconds=3, timeout=40)
    assert "earned" in text(nb.cells[0]) and not error(nb.cells[0])
    assert error(nb.cells[1]).startswith("KernelDied"), error(nb.cells[1])
    assert error(nb.cells[2]).startswith("NotRun"), error(nb.cells[2])
    assert "the kernel died" in flags(nb)


def test_wall_clock_limits_per_cell_and_per_notebook():
    nb = run(new_code_cell("import time\ntime.sleep(30)"),  # interrupted, the kernel lives on
             grade_cell("print('after the interrupt')", "t1"),
             new_code_cell("import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                           "end = time.time() + 60\nwhile time.time() < end:\n    pass"),
             grade_cell("print('never')", "t2"),
             timeout=3)
    assert "CellTimeoutError" in str(nb.cells[0].outputs)
    assert "after the interrupt" in text(nb.cells[1]) and not error(nb.cells[1])
    assert "ignored the interrupt" in error(nb.cells[2]), error(nb.cells[2])
    assert error(nb.cells[3]).startswith("NotRun")
    assert "did not stop when interrupted" in flags(nb)

    nb = run(new_code_cell("import time\ntime.sleep(2.5)"), new_code_cell("time.sleep(2.5)"),
             grade_cell("print('late')", "t"), timeout=10, notebook_timeout=4)
    assert error(nb.cells[2]).startswith("NotRun") and "limit" in flags(nb), (error(nb.cells[2]), flags(nb))


@needs["pid_namespace"]
def test_kernel_cannot_see_or_signal_the_grader():
    nb = run(new_code_cell("import os, signal\nprint('ppid', os.getppid())\n"
                           "print('pids', sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))\n"
                           "try:\n    os.kill(os.getppid() or 1, signal.SIGKILL)\nexcept OSError as exc:\n    print(exc)"),
             grade_cell("print('alive')", "t"))
    out = text(nb.cells[0])
    assert str(os.getpid()) not in out.split("pids")[1], f"the kernel can see the grader's process: {out}"
    assert os.getppid() > 0  # this process is still here


def test_dead_kernel_keeps_the_points_already_earned():
    nb = run(grade_cell("print('one')", "t1"), new_code_cell("import os\nos._exit(0)"), grade_cell("print('two')", "t2"))
    assert "one" in text(nb.cells[0]) and not error(nb.cells[0])
    assert error(nb.cells[1]).startswith("KernelDied") and error(nb.cells[2]).startswith("NotRun")


def test_guard_restores_and_reports_tampering():
    nb = run(new_code_cell("import builtins, torch\n"
                           "torch.allclose = lambda *a, **k: True\n"
                           "builtins.AssertionError = type('Quiet', (Exception,), {})\n"
                           "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])\n"
                           "get_ipython().showtraceback = lambda *a, **k: None"),
             grade_cell("assert not torch.allclose(torch.zeros(1), torch.ones(1))\nprint('restored')", "t1"),
             grade_cell("assert 1 == 2, 'must fail'", "t2"))
    assert "restored" in text(nb.cells[1]) and not error(nb.cells[1]), nb.cells[1].outputs
    assert error(nb.cells[2]) == "AssertionError: must fail", nb.cells[2].outputs
    found = flags(nb)
    for what in ("torch.allclose", "builtins.AssertionError", "input_transformers_cleanup", "showtraceback"):
        assert what in found, f"{what} not reported: {found}"


def test_run_cell_that_swallows_tests_scores_nothing():
    fake = ("from IPython.core.interactiveshell import ExecutionInfo, ExecutionResult\n"
            "shell = get_ipython()\n"
            "def fake(raw_cell, *args, **kwargs):\n"
            "    print('visible tests passed')\n"
            "    return ExecutionResult(ExecutionInfo(raw_cell, False, False, False, None))\n"
            "async def fake_async(raw_cell, *args, **kwargs):\n"
            "    return fake(raw_cell)\n"
            "shell.run_cell, shell.run_cell_async = fake, fake_async")
    nb = run(new_code_cell(fake), grade_cell("assert 1 == 2", "t1"), grade_cell("print('real')", "t2"))
    assert error(nb.cells[1]), "a failing test passed through a fake run_cell"
    assert "real" in text(nb.cells[2]), "the guard should have put run_cell back"
    assert "run_cell" in flags(nb)


def test_fake_passed_output_without_running_scores_nothing():
    nb = run(new_code_cell("get_ipython().input_transformers_post.append(lambda lines: ['print(\"passed\")\\n'])"),
             grade_cell("assert False, 'hidden'", "t"), guard=False)
    assert error(nb.cells[1]), "without the guard a blanked test cell must still fail (no end marker)"
    assert "did not run to its end" in flags(nb)


def test_end_marker_keeps_the_last_expression_for_partial_credit():
    assert with_end_marker("x = 1\nscore(x)", "M") == "x = 1\n(score(x), print('M'))[0]"
    assert with_end_marker("print('é'); f('ü')", "M") == "print('é'); (f('ü'), print('M'))[0]"
    assert with_end_marker("x = 1", "M") == "x = 1\nprint('M')"
    nb = run(grade_cell("3 + 1", "partial", points=6))
    result = [o for o in nb.cells[0].outputs if o.get("output_type") == "execute_result"]
    assert result and result[0]["data"]["text/plain"] == "4", nb.cells[0].outputs
    assert not any("M" == o.get("text", "").strip() for o in nb.cells[0].outputs)


def test_without_zygote_the_same(tmp_path):
    nb = run(grade_cell("import os\nprint('uid', os.getuid())", "t"), zygote=False)
    assert "uid" in text(nb.cells[0]) and not error(nb.cells[0])


def test_without_isolation_the_limits_still_hold_and_the_report_says_so():
    nb = run(new_code_cell("chunks = [bytearray(100 * 2**20) for _ in range(60)]"), isolate=False, memory_mb=5120)
    assert error(nb.cells[0]).startswith("MemoryError"), error(nb.cells[0])
    assert nb.metadata[METADATA_KEY]["sandbox"] == "sandbox: switched off"
    weak = sandbox.Capabilities(uid_drop=False, mount_namespace=False, network_namespace=True, pid_namespace=True)
    assert "NOT available" in weak.describe() and "unprivileged user" in weak.describe()
    assert "network" not in " ".join(weak.missing)


def test_grade_refuses_zero_workers(tmp_path, capsys):
    from course.cli import main

    (tmp_path / "ada" / "day01").mkdir(parents=True)
    assert main(["grade", str(tmp_path), "--workers", "0"]) == 2
    assert "workers must be at least 1" in capsys.readouterr().err
