"""The quizzes as their source notebooks write them (solutions/dayNN/dayNN.ipynb), for the quiz tests.

A quiz's markdown cell (``dayNN_quiz_md``) lists each question as ``**q1.** text`` followed by
exactly four lines ``- (a) option`` ... ``- (d) option``; its solution cell (``dayNN_quiz``)
holds the key, one line per question with a comment naming each distractor's misconception;
its hidden test (``test_dayNN_quiz_hidden``), worth one point per question, holds the key again
and one ``# q1 (b): why`` line per question (course.grading.quiz_feedback).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

import nbformat

from course import syllabus
from course.grading import quiz_feedback
from course.notebooks import cells_by_grade_id

LETTERS = "abcd"
_QUESTION = re.compile(r"^\*\*(q\d+)\.\*\*\s*(.*)$")
_OPTION = re.compile(r"^- \(([a-z])\) (.+?)\s*$")


@dataclass
class Question:
    day: str
    id: str
    text: str
    options: dict[str, str] = field(default_factory=dict)
    key: str = ""
    misconceptions: str = ""  # the solution line's comment
    why: str = ""             # the hidden test's explanation

    @property
    def key_is_strictly_longest(self) -> bool:
        if self.key not in self.options:
            return False
        mine = len(self.options[self.key])
        return all(mine > len(text) for letter, text in self.options.items() if letter != self.key)


@dataclass
class Quiz:
    day: str
    questions: list[Question]
    problems: list[str]


def parse_markdown(day: str, text: str) -> tuple[list[Question], list[str]]:
    questions, problems = [], []
    for line in text.splitlines():
        if m := _QUESTION.match(line.strip()):
            questions.append(Question(day, m[1], m[2]))
        elif (m := _OPTION.match(line.strip())) and questions:
            q = questions[-1]
            if m[1] in q.options:
                problems.append(f"{day} {q.id}: option ({m[1]}) twice")
            q.options[m[1]] = m[2]
    for q in questions:
        if sorted(q.options) != list(LETTERS):
            problems.append(f"{day} {q.id}: options {sorted(q.options)}, expected one line '- (x) ...' for each "
                            f"of {', '.join(LETTERS)}")
    return questions, problems


def solution_lines(source: str) -> dict[str, tuple[str, str]]:
    """``{"q1": ("b", "the comment after it"), ...}`` from the solution cell's one-line-per-question dict."""
    found = {}
    for line in source.splitlines():
        if m := re.match(r'^\s*"(q\d+)"\s*:\s*"([a-z])"\s*,?\s*(?:#\s*(.*))?$', line):
            found[m[1]] = (m[2], m[3] or "")
    return found


def read(day: syllabus.Day) -> Quiz:
    by_id = cells_by_grade_id(nbformat.read(day.solution_path, as_version=4))
    cells = {gid: c.source for gid, c in by_id.items()}
    name = f"{day.id}_quiz"
    hidden = by_id.get(f"test_{name}_hidden")
    points = hidden.metadata.nbgrader.get("points") if hidden is not None else None
    questions, problems = parse_markdown(day.id, cells.get(f"{name}_md", ""))
    call = quiz_feedback.quiz_call(cells.get(f"test_{name}_hidden", ""))
    key = call[1] if call else {}
    why = quiz_feedback.explanations(cells.get(f"test_{name}_hidden", ""))
    solution = solution_lines(cells.get(name, ""))
    try:
        tree = ast.parse(cells.get(name, "").replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""))
        answer = next(ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign))
    except (SyntaxError, ValueError, StopIteration):
        answer = None
    if answer != key:
        problems.append(f"{day.id}: the solution cell's answer {answer} is not the hidden test's key {key}")
    if points != len(key):
        problems.append(f"{day.id}: the quiz's hidden test is worth {points} points for {len(key)} questions "
                        "(one point per correct answer)")
    if [q.id for q in questions] != list(key):
        problems.append(f"{day.id}: the questions {[q.id for q in questions]} are not the key's {list(key)}")
    for q in questions:
        q.key = key.get(q.id, "")
        q.misconceptions = solution.get(q.id, ("", ""))[1]
        q.why = why.get(q.id, ("", ""))[1] if why.get(q.id, ("",))[0] == q.key else ""
    return Quiz(day.id, questions, problems)


def all_quizzes() -> list[Quiz]:
    return [read(d) for d in syllabus.days()]
