"""What a quiz's feedback says: per question right or wrong; the key and why only in the final feedback.

A quiz's hidden test cell ends in ``quiz_score(dayNN_quiz, {"q1": "b", ...})``, the
key as a dict literal, followed by one comment line per question, ``# q1 (b): why``.
The student's answer cell assigns ``dayNN_quiz = {...}``. Nothing here runs either:
both are read with :mod:`ast`, so the report cannot be steered by the student's code
(whatever that code prints while the hidden test runs is never shown).

Which answers were right is read from the dict the student wrote, and shown only when
it agrees with the score the grader computed (a dict built up or changed by code
shows the score alone). The key and its explanation appear only when ``reveal`` is
set: feedback after the due date, or after the student's last graded attempt.
"""

from __future__ import annotations

import ast
import re

SCORE_CALL = "quiz_score"
_WHY = re.compile(r"^\s*#\s*(q\d+)\s*\(([a-z])\)\s*:\s*(.+?)\s*$")


def quiz_call(hidden_source: str) -> tuple[str, dict[str, str]] | None:
    """(the quiz's variable name, its key) from a hidden test's ``quiz_score(name, {...})``; None if it has none."""
    try:
        tree = ast.parse(hidden_source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == SCORE_CALL
                and len(node.args) == 2 and isinstance(node.args[0], ast.Name)):
            key = _str_dict(node.args[1])
            if key:
                return node.args[0].id, key
    return None


def explanations(hidden_source: str) -> dict[str, tuple[str, str]]:
    """``{"q1": ("b", "why b ..."), ...}`` from the hidden test's ``# q1 (b): ...`` lines."""
    found = {}
    for line in hidden_source.splitlines():
        m = _WHY.match(line)
        if m:
            found[m[1]] = (m[2], m[3])
    return found


def written_answers(answer_source: str, name: str) -> dict[str, str] | None:
    """The dict literal the answer cell last assigns to ``name`` (str keys and values), or None."""
    try:
        tree = ast.parse(answer_source)
    except SyntaxError:
        return None
    answers = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            answers = _str_dict(node.value)
        elif _names(node, name):
            answers = None  # used or changed by code after the literal: only the score is sure
    return answers


def report(hidden_source: str, answer_sources: dict[str, str], score: float | None, reveal: bool) -> list[str]:
    """The lines the feedback shows for one quiz (empty when ``hidden_source`` is not a quiz's hidden test);
    ``answer_sources`` maps each answer cell's grade id to its source."""
    call = quiz_call(hidden_source)
    if call is None:
        return []
    name, key = call
    why = explanations(hidden_source)
    answer_source = answer_sources.get(name)
    answers = written_answers(answer_source, name) if answer_source is not None else None
    right = None
    if answers is not None:
        right = {q: answers.get(q) == want for q, want in key.items()}
        if score is None or sum(right.values()) != score:
            right = None  # the dict as written is not what was graded
    lines = [f"quiz: {score:g} of {len(key)} right" if score is not None else "quiz: not scored"]
    if right is None and score is not None:
        lines.append("(write your answers as one dict, as in the template, to see which ones were right)")
    for q, want in key.items():
        said = [] if right is None else ["right" if right[q] else "wrong"]
        if reveal:
            said.append(f"the answer is ({want})" + (f": {why[q][1]}" if q in why and why[q][0] == want else ""))
        if said:
            lines.append(f"{q}: " + "; ".join(said))
    if not reveal:
        lines.append("(the answers and why are shown in your final feedback, after the due date or your last attempt)")
    return lines


def _str_dict(node) -> dict[str, str] | None:
    if not isinstance(node, ast.Dict) or None in node.keys:
        return None
    out = {}
    for k, v in zip(node.keys, node.values):
        if not (isinstance(k, ast.Constant) and type(k.value) is str and isinstance(v, ast.Constant)
                and type(v.value) is str):
            return None
        out[k.value] = v.value
    return out


def _names(node, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))

