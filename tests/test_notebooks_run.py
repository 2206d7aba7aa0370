"""Lessons run top to bottom; the self-check works on a release without nbgrader."""

import os

import nbformat
import pytest
from nbclient import NotebookClient

from course import selfcheck, syllabus
from course.grading.safe_execute import cell_timeout
from course.cli import main
from params import all_days
from factory import reference_answers, submission, variants, write_submission

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("notebooks")]


@pytest.mark.parametrize("day", all_days())
def test_lesson_runs_top_to_bottom_within_the_grading_timeout(day):
    nb = nbformat.read(day.lesson_path, as_version=4)
    timeout = cell_timeout()
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            extra_arguments=["--IPKernelApp.log_level=ERROR"],
                            resources={"metadata": {"path": str(day.lesson_path.parent)}})
    client.execute()  # raises CellExecutionError / CellTimeoutError naming the cell
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown").lower()
    for part in ("goals", "try this", "summary", f"exercises/{day.id}/{day.notebook}"):
        assert part in text, f"{day.lesson}: the lesson should have {part!r}"


CAPSTONE = syllabus.REPO_ROOT / "lessons" / "capstone_cifar10.ipynb"


def test_capstone_quick_cpu_run_goes_top_to_bottom_offline(monkeypatch):
    """The capstone (no graded day): without CUDA it trains on a few hundred offline images for two epochs."""
    committed = nbformat.read(CAPSTONE, as_version=4)
    assert all(not c.outputs and c.execution_count is None for c in committed.cells if c.cell_type == "code"), \
        "commit the capstone without outputs"
    assert CAPSTONE.relative_to(syllabus.REPO_ROOT).as_posix() not in {d.lesson for d in syllabus.days()}

    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")   # the quick run, even on a machine with a GPU
    monkeypatch.setenv("COURSE_DATA", "offline")     # never the network (auto is offline here anyway)
    # one torch thread unless conftest set the kernels' threads: two spin-waiting threads on a busy machine
    # made the quick run several times slower (its time is in benchmarks, not asserted here)
    monkeypatch.setenv("OMP_NUM_THREADS", os.environ.get("OMP_NUM_THREADS") or "1")
    nb = nbformat.read(CAPSTONE, as_version=4)
    client = NotebookClient(nb, timeout=cell_timeout(), kernel_name="python3",
                            extra_arguments=["--IPKernelApp.log_level=ERROR"],
                            resources={"metadata": {"path": str(CAPSTONE.parent)}})
    client.execute()  # raises CellExecutionError / CellTimeoutError naming the cell (60 s per cell)

    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown").lower()
    for part in ("goals", "try this", "summary", "colab"):
        assert part in text, f"the capstone should have {part!r}"
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "quick CPU run: accuracy is not meaningful" in printed
    assert "run: QUICK" in printed and "not CIFAR-10" in printed
    pictures = sum("image/png" in o.get("data", {}) for o in outputs)
    assert pictures >= 5, f"expected the capstone's pictures, got {pictures}"


@pytest.mark.parametrize("day", all_days())
def test_self_check_on_the_release_reports_every_item_unanswered(day, tmp_path):
    notebook = tmp_path / day.notebook  # a copy: the exercise may write files next to itself
    notebook.write_bytes(day.exercise_path.read_bytes())
    report = selfcheck.run_checks(notebook, timeout=120)
    assert [r.item for r in report.items] == list(day.items)
    assert all(not r.answered for r in report.items)
    assert not report.ok
    assert all(r.hidden_points > 0 for r in report.items)


def test_self_check_passes_a_correct_notebook_and_names_a_mistake(tmp_path, capsys):
    day = syllabus.get_day("day01")
    ref = reference_answers(day)
    good = write_submission(tmp_path, "me", day, submission(day, ref))
    assert main(["check", str(good)]) == 0
    out = capsys.readouterr().out
    assert "6 of 6 items pass their visible tests." in out

    item, source = variants("mutants", day)["conv_param_count__forgets_bias"]
    bad = write_submission(tmp_path, "me2", day, submission(day, {**ref, item: source}))
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "conv_param_count: AssertionError: conv_param_count(3, 16, 3) should be 448, got 432" in out
