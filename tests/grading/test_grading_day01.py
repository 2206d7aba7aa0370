"""Day 1 specifics of the graded batch: the messages students read, and the dev sample."""

import nbformat
import pytest

from course import syllabus
from course.cli import main
from course.notebooks import grade_id
from params import grading_group
from grading_batch import full, got, pack_of

DAY = syllabus.get_day("day01")
pytestmark = [pytest.mark.slow, grading_group(DAY)]


@pytest.fixture
def graded(graded_batch):
    return graded_batch(DAY)


def test_failure_messages_speak_the_students_terms(graded):
    def errors(mutant, test_id):
        student, _ = pack_of("mutants", DAY, mutant)
        path = graded.workspace / "autograded" / student / DAY.id / DAY.notebook
        nb = nbformat.read(path, as_version=4)
        cell = next(c for c in nb.cells if grade_id(c) == test_id)
        return " ".join(o.get("evalue", "") for o in cell.outputs if o.output_type == "error")

    assert "should be 4, got 5" in errors("conv_output_size__rounds_up", "test_conv_output_size_hidden")
    assert "should return an int, got float" in errors("conv_output_size__returns_float",
                                                        "test_conv_output_size_visible")
    for name in ("calls_f_conv2d", "alias_captured_early", "uses_nn_conv2d", "calls_aten_directly",
                 "torchvision_deform_conv"):
        assert "must compute the convolution itself" in errors(f"conv2d_manual__{name}",
                                                               "test_conv2d_manual_visible"), name
    for name in ("conv_in_a_thread", "checks_switched_off"):  # routes around the dispatch mode: hidden tests
        assert "ConvolutionBackward0 in its autograd history" in errors(f"conv2d_manual__{name}",
                                                                        "test_conv2d_manual_hidden"), name
    assert "must not call scipy.signal" in errors("conv2d_manual__scipy_correlate2d", "test_conv2d_manual_visible")
    # the listed mistakes that explain a wrong output exactly are named in the visible tests
    assert "equals the true convolution, with the kernel flipped" in errors("conv2d_manual__flips_kernel",
                                                                             "test_conv2d_manual_visible")
    assert "differs from the expected one by exactly the bias: add bias[f]" in errors(
        "conv2d_manual__ignores_bias", "test_conv2d_manual_visible")
    assert "must not build a layer" in errors("conv_param_count__builds_layer", "test_conv_param_count_visible")
    assert "receptive_field([(3, 2), (3, 2)]) should be 7, got 5" in errors("receptive_field__ignores_stride",
                                                                             "test_receptive_field_visible")
    assert "the layer should have no bias" in errors("vertical_edge_conv__zero_bias_kept",
                                                     "test_vertical_edge_conv_hidden")


def test_dev_sample_broken_cells_cost_nothing_else(graded):
    dev = graded.get("sample-dev")
    assert dev.status == "graded" and got(dev) == full(dev), "dev's broken cells must not cost the working answers"
    assert any("ran longer than" in n for n in dev.notes), dev.notes
    assert any("raised NameError" in n for n in dev.notes), dev.notes


def test_cli_exit_code_names_the_failed_submission(tmp_path, capsys):
    bad = tmp_path / "subs" / "eve" / "day01" / "day01.ipynb"
    bad.parent.mkdir(parents=True)
    bad.write_text("not json at all")
    assert main(["grade", str(tmp_path / "subs"), "--workspace", str(tmp_path / "ws")]) == 1
    out = capsys.readouterr().out
    assert "eve: FAILED:" in out and "not valid JSON" in out


@pytest.mark.filterwarnings("ignore:.*not in session")  # nbgrader 0.9 with SQLAlchemy 2, harmless
def test_results_travel_from_a_worker_gradebook_unchanged(graded, tmp_path):
    """course.grading.merge: what a worker's gradebook holds is what the course gradebook records,
    scores, comments and late penalty included, and writing it twice changes nothing."""
    import shutil

    from nbgrader.api import Gradebook

    from course.grading import merge

    db = graded.workspace / "gradebook.db"
    copy = tmp_path / "copy.db"
    shutil.copyfile(db, copy)
    student = "solution"
    original = merge.read(f"sqlite:///{db}", DAY.id, student)
    assert original.notebooks, "the graded student has no notebooks in the gradebook"
    with Gradebook(f"sqlite:///{copy}") as gb:
        gb.remove_submission(DAY.id, student)
    for _ in range(2):
        with Gradebook(f"sqlite:///{copy}") as gb:
            merge.write(gb, original)
    assert merge.read(f"sqlite:///{copy}", DAY.id, student) == original
    with Gradebook(f"sqlite:///{copy}") as gb:
        assert len([s for s in gb.assignment_submissions(DAY.id) if s.student_id == student]) == 1
        scores = {g.name: g.score for g in gb.find_submission_notebook("day01", DAY.id, student).grades}
    assert sum(scores.values()) == graded.get(student).total[0], scores
