"""Lessons run top to bottom; the self-check works on a release without nbgrader."""

import nbformat
import pytest
from nbclient import NotebookClient

from course import selfcheck, syllabus, workspace
from course.cli import main
from conftest import all_days
from factory import reference_answers, submission, variants, write_submission

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("notebooks")]


@pytest.mark.parametrize("day", all_days())
def test_lesson_runs_top_to_bottom_within_the_grading_timeout(day):
    nb = nbformat.read(day.lesson_path, as_version=4)
    timeout = workspace.cell_timeout()
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            extra_arguments=["--IPKernelApp.log_level=ERROR"],
                            resources={"metadata": {"path": str(day.lesson_path.parent)}})
    client.execute()  # raises CellExecutionError / CellTimeoutError naming the cell
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown").lower()
    for part in ("goals", "try this", "summary", f"exercises/{day.id}/{day.notebook}"):
        assert part in text, f"{day.lesson}: the lesson should have {part!r}"


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
