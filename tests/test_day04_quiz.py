"""Day 4's quiz: every key recomputed with torch from the question's own numbers (the rules every quiz
follows are tests/test_quizzes.py's)."""

from __future__ import annotations

import ast
import math
import re

import pytest
import torch
import torch.nn as nn

from course import syllabus
from course.notebooks import cells_by_grade_id, read_notebook

DAY = syllabus.get_day("day04")


@pytest.fixture(scope="module")
def quiz():
    cells = cells_by_grade_id(read_notebook(DAY.solution_path))
    md, hidden = cells["day04_quiz_md"].source, cells["test_day04_quiz_hidden"].source
    questions = re.findall(r"\*\*(q\d+)\.\*\* (.*?)\n((?:- \([a-d]\) .*\n?){4})", md)
    options = {q: dict(re.findall(r"- \(([a-d])\) (.*)", block)) for q, _, block in questions}
    key = ast.literal_eval(re.search(r"quiz_score\(day04_quiz, (\{.*?\})\)", hidden).group(1))
    comments = re.findall(r"^# (q\d+) \(([a-d])\): (.*)$", hidden, re.M)
    return options, key, comments


def _q1():  # backward, zero_grad, step: the weights never change
    model = nn.Linear(4, 3)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    before = [p.detach().clone() for p in model.parameters()]
    for _ in range(3):
        nn.functional.cross_entropy(model(torch.randn(8, 4)), torch.randint(0, 3, (8,))).backward()
        opt.zero_grad()
        opt.step()
    unchanged = all(torch.equal(a, b) for a, b in zip(before, model.parameters()))
    return "they keep their initial values exactly" if unchanged else "?"


def _q2():  # BatchNorm2d after one batch of mean 4, unbiased variance 9, then eval on 4.0
    z = torch.randn(2, 1, 5, 5)
    z = (z - z.mean()) / z.std()
    bn = nn.BatchNorm2d(1)
    bn(4 + 3 * z)
    return f"{bn.eval()(torch.full((1, 1, 1, 1), 4.0)).item():.2f}"


def _q3():  # Dropout(0.2) in train mode under no_grad
    with torch.no_grad():
        out = nn.Dropout(0.2).train()(torch.ones(1000))
    assert 150 < int((out == 0).sum()) < 250
    return f"about 200 zeros, the others {out.max().item():.2f}"


def _q4():  # GradScaler: fine, inf, fine
    w = nn.Parameter(torch.ones(1))
    opt = torch.optim.SGD([w], lr=0.1)
    scaler = torch.amp.GradScaler("cpu")
    applied = 0
    for step in (1, 2, 3):
        opt.zero_grad()
        scaler.scale((w * (math.inf if step == 2 else 1.0)).sum()).backward()
        old = w.detach().clone()
        scaler.step(opt)
        scaler.update()
        applied += int(not torch.equal(old, w.detach()))
    return f"{int(scaler.get_scale()):,} and {applied} updates"


def _q5():
    return f"{(5 * 0.40 + 5 * 0.60 + 3 * 1.20) / 13:.3f}"


def _q6():  # save on improvement, stop after 2 epochs in a row without one
    best, kept, waited = -1.0, 0, 0
    for epoch, acc in enumerate([0.80, 0.85, 0.84, 0.83, 0.86, 0.82], start=1):
        if acc > best:
            best, kept, waited = acc, epoch, 0
        else:
            waited += 1
            if waited == 2:
                break
    return f"it stops after epoch {epoch}; the file holds epoch {kept}"


def _q7():
    opt = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=0.1)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=100)
    for _ in range(25):
        opt.step()
        sched.step()
    return f"{opt.param_groups[0]['lr']:.4f}"


def _q8():
    after = []
    for cls in (torch.optim.Adam, torch.optim.AdamW):
        w = nn.Parameter(torch.tensor([2.0]))
        opt = cls([w], lr=0.1, weight_decay=0.01)
        w.grad = torch.zeros(1)
        opt.step()
        after.append(w.item())
    return f"Adam {after[0]:.3f}, AdamW {after[1]:.3f}"


RIGHT = {"q1": _q1, "q2": _q2, "q3": _q3, "q4": _q4, "q5": _q5, "q6": _q6, "q7": _q7, "q8": _q8}


def test_every_key_is_the_option_that_torch_computes(quiz):
    options, key, comments = quiz
    assert list(options) == list(key) == [q for q, _, _ in comments] == list(RIGHT)
    for q, compute in RIGHT.items():
        right = compute()
        assert [letter for letter, text in options[q].items() if text == right] == [key[q]], (q, right, options[q])
    assert all(key[q] == letter for q, letter, _ in comments)

