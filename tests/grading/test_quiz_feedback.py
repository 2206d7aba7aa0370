"""What a quiz's feedback says: which answers were right; the answers and why only in the final feedback.

No grading here: the quiz's cells are built in memory with the outputs a kernel would have produced,
and RedactHiddenTests (course.grading.feedback) runs on them, as GenerateFeedback does.
"""

from __future__ import annotations

import pytest
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_code_cell, new_notebook

from course.grading import quiz_feedback
from course.grading.feedback import RedactHiddenTests

KEY = {"q1": "b", "q2": "d", "q3": "a"}
HIDDEN = f"""# Hidden tests for the quiz run here when the notebook is graded (1 point per correct answer).
### BEGIN HIDDEN TESTS
expect_quiz(day09_quiz, {{f"q{{i}}": "" for i in range(1, 4)}})
quiz_score(day09_quiz, {KEY!r})
# q1 (b): stride 2 halves 56 to 28: (56 + 2 - 3) // 2 + 1 = 28
# q2 (d): 3 * 16 * 9 weights + 16 biases = 448
# q3 (a): each layer adds 2, so 1 + 2 + 2 + 2 = 7
### END HIDDEN TESTS"""


def graded_quiz(answer_source: str, score: int | None, error: bool = False) -> NotebookNode:
    answer = new_code_cell(answer_source, metadata={"nbgrader": {"grade_id": "day09_quiz", "solution": True,
                                                                  "grade": False}})
    hidden = new_code_cell(HIDDEN, metadata={"nbgrader": {"grade_id": "test_day09_quiz_hidden", "grade": True,
                                                          "solution": False, "points": 3}})
    if error:
        hidden.outputs = [NotebookNode(output_type="error", ename="AssertionError", evalue="not a dict",
                                       traceback=[])]
    elif score is not None:
        hidden.outputs = [NotebookNode(output_type="execute_result", execution_count=1, metadata={},
                                       data={"text/plain": str(score)})]
    return new_notebook(cells=[answer, hidden])


def feedback_text(nb, reveal: bool) -> str:
    redact = RedactHiddenTests(reveal_quiz_key=reveal)
    nb, _ = redact.preprocess(nb, {})
    (hidden,) = [c for c in nb.cells if "hidden test" in c.source]
    return "".join(o.get("text", "") for o in hidden.outputs)


def test_the_key_and_the_explanations_are_read_from_the_hidden_test():
    assert quiz_feedback.quiz_call(HIDDEN) == ("day09_quiz", KEY)
    assert quiz_feedback.explanations(HIDDEN)["q2"] == ("d", "3 * 16 * 9 weights + 16 biases = 448")
    assert quiz_feedback.quiz_call("expect_int(conv_output_size(5, 3), 3, 'x')") is None


@pytest.mark.parametrize("source, expected", [
    ('day09_quiz = {"q1": "b", "q2": "a", "q3": "a"}', {"q1": "b", "q2": "a", "q3": "a"}),
    ('day09_quiz = {"q1": "b"}\nday09_quiz = {"q1": "c"}', {"q1": "c"}),      # the last assignment counts
    ('day09_quiz = {}\nday09_quiz["q1"] = "b"', None),                           # built up by code
    ('day09_quiz = {"q1": "b"}\nday09_quiz.update(q2="d")', None),               # changed after the literal
    ('day09_quiz = dict(q1="b")', None),                                         # not a literal
    ('day09_quiz = {', None),                                                    # not Python
])
def test_the_students_answers_are_the_literal_they_wrote(source, expected):
    assert quiz_feedback.written_answers(source, "day09_quiz") == expected


def test_feedback_that_allows_another_attempt_says_which_answers_were_right_and_not_the_answers():
    text = feedback_text(graded_quiz('day09_quiz = {"q1": "b", "q2": "a", "q3": "a"}', 2), reveal=False)
    assert "quiz: 2 of 3 right" in text
    assert "q1: right" in text and "q2: wrong" in text and "q3: right" in text
    assert "the answer is" not in text and "448" not in text and "(d)" not in text, text


def test_the_final_feedback_shows_each_answer_and_why():
    text = feedback_text(graded_quiz('day09_quiz = {"q1": "b", "q2": "a", "q3": "a"}', 2), reveal=True)
    assert "q2: wrong; the answer is (d): 3 * 16 * 9 weights + 16 biases = 448" in text
    assert "q1: right; the answer is (b): stride 2 halves 56 to 28" in text


def test_answers_built_by_code_show_the_score_alone():
    text = feedback_text(graded_quiz('day09_quiz = {}\nday09_quiz["q1"] = "b"', 1), reveal=False)
    assert "quiz: 1 of 3 right" in text and "q1: right" not in text and "q1: wrong" not in text


def test_a_dict_that_disagrees_with_the_graded_score_shows_the_score_alone():
    """The literal says 3 right, but what was graded (changed in a later cell) scored 1: trust the score."""
    text = feedback_text(graded_quiz('day09_quiz = {"q1": "b", "q2": "d", "q3": "a"}', 1), reveal=False)
    assert "quiz: 1 of 3 right" in text and "q2: right" not in text


def test_a_quiz_that_failed_its_checks_scores_zero_and_the_final_feedback_still_explains():
    nb = graded_quiz('day09_quiz = ["b", "d", "a"]', None, error=True)
    text = feedback_text(nb, reveal=True)
    assert "hidden tests failed (AssertionError)" in text and "quiz: 0 of 3 right" in text
    assert "q3: the answer is (a): each layer adds 2" in text


def test_feedback_is_final_once_the_due_date_has_passed(tmp_path):
    from datetime import datetime, timezone

    from course.grading import exchange, workspace

    ws = workspace.prepare(tmp_path / "ws")
    cfg = workspace.load_config(ws)
    assert not exchange.due_date_passed(cfg, "day01")  # no due date: feedback is not final
    exchange.set_due_date(cfg, "day01", "2026-12-12 17:00 UTC")
    assert not exchange.due_date_passed(cfg, "day01", now=datetime(2026, 12, 12, 16, 59))
    assert exchange.due_date_passed(cfg, "day01", now=datetime(2026, 12, 12, 17, 0))
    assert exchange.final_feedback("day01", ws) == (datetime.now(timezone.utc).replace(tzinfo=None) >= datetime(2026, 12, 12, 17, 0))
