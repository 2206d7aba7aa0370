"""The quizzes cannot be gamed: no "pick the longest option", no favourite letter; every option has a reason.

Computed from the source notebooks (tests/support/quizzes.py reads them). The limits are the
syllabus's: course-wide, the key is the strictly longest option in at most 30% of the questions,
and no letter is the key of more than 35% of them.
"""

from __future__ import annotations

from collections import Counter

import pytest

from course import syllabus
from quizzes import LETTERS, Question, all_quizzes

LONGEST_LIMIT = 0.30
LETTER_LIMIT = 0.35


def longest_share(questions: list[Question]) -> float:
    return sum(q.key_is_strictly_longest for q in questions) / len(questions)


def letter_shares(questions: list[Question]) -> dict[str, float]:
    counts = Counter(q.key for q in questions)
    return {letter: counts[letter] / len(questions) for letter in LETTERS}


@pytest.fixture(scope="module")
def quizzes():
    return all_quizzes()


@pytest.fixture(scope="module")
def questions(quizzes):
    return [q for quiz in quizzes for q in quiz.questions]


def test_every_quiz_is_written_in_the_shared_form(quizzes):
    problems = [p for quiz in quizzes for p in quiz.problems]
    assert not problems, "\n".join(problems)
    for quiz in quizzes:
        assert 5 <= len(quiz.questions) <= 8, f"{quiz.day}: {len(quiz.questions)} questions, the syllabus says 5-8"
        for q in quiz.questions:
            assert q.key in q.options, f"{quiz.day} {q.id}: the key {q.key!r} is not one of its options"


def test_picking_the_longest_option_does_not_pay(questions):
    longest = [f"{q.day} {q.id}" for q in questions if q.key_is_strictly_longest]
    assert longest_share(questions) <= LONGEST_LIMIT, (
        f"the key is the strictly longest option in {len(longest)} of {len(questions)} questions "
        f"({longest_share(questions):.0%}, limit {LONGEST_LIMIT:.0%}): {', '.join(longest)}; "
        "write the options to one length and move explanations into the hidden test's '# qN (x): why' lines")


def test_no_letter_is_the_favourite(questions):
    shares = letter_shares(questions)
    worst = max(shares, key=shares.get)
    assert shares[worst] <= LETTER_LIMIT, (
        f"({worst}) is the key of {shares[worst]:.0%} of the questions (limit {LETTER_LIMIT:.0%}): "
        + ", ".join(f"({k}) {v:.0%}" for k, v in shares.items()))


def test_each_distractor_names_its_misconception_and_each_key_its_explanation(questions):
    missing = []
    for q in questions:
        named = [letter for letter in LETTERS if letter != q.key and f"({letter})" in q.misconceptions]
        if len(named) != len(LETTERS) - 1:
            missing.append(f"{q.day} {q.id}: the solution line's comment should say, for each wrong option "
                           f"(x), the misconception behind it; it names {named}")
        if not q.why:
            missing.append(f"{q.day} {q.id}: the hidden test needs a line '# {q.id} ({q.key}): why'")
    assert not missing, "\n".join(missing)


def test_the_limits_catch_a_quiz_that_can_be_gamed():
    """The checks above can fail: a quiz whose key is always the longest and always (d) breaks both."""
    gamed = [Question("day00", f"q{i}", "?", {"a": "x", "b": "yy", "c": "zz", "d": "the longest one"}, "d")
             for i in range(1, 7)]
    assert longest_share(gamed) == 1.0 > LONGEST_LIMIT
    assert letter_shares(gamed)["d"] == 1.0 > LETTER_LIMIT
    fair = [Question("day00", f"q{i}", "?", {"a": "one", "b": "two", "c": "six", "d": "ten"}, LETTERS[i % 4])
            for i in range(8)]
    assert longest_share(fair) == 0 and max(letter_shares(fair).values()) == 0.25


def test_every_day_has_a_quiz():
    assert {quiz.day for quiz in all_quizzes()} == {d.id for d in syllabus.days()}
