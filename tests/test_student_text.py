"""Student-facing text never mentions the private material the course was written from.

Students have never seen it: a lesson, an exercise or a quiz that says "the seeds of this
course call it 60K" or "the reference material" points at nothing. Sources a student can
read (papers, the PyTorch docs, d2l) are cited instead.
"""

from __future__ import annotations

import re

import pytest

from course import syllabus
from course.notebooks import read_notebook

REPO = syllabus.REPO_ROOT
MENTIONS = re.compile(r"\bseeds? of (?:this|the) course|\bthe seeds\b|\bseeds'|\bour seeds\b|course'?s seeds|"
                      r"reference material|source material|shared/seeds|seed (?:material|notes|files)", re.I)
NOTEBOOKS = sorted([*REPO.glob("lessons/*.ipynb"), *REPO.glob("exercises/*/*.ipynb"), *REPO.glob("solutions/*/*.ipynb")])


def mentions(text: str) -> list[str]:
    return [m.group(0) for m in MENTIONS.finditer(text)]


def test_the_pattern_finds_the_mentions_it_is_for():
    for text in ("### The seeds' 4x4 example, computed", "the seeds of this course call it 60K",
                 "as in the reference material", "see ../shared/seeds/001.txt"):
        assert mentions(text), f"not found in {text!r}"
    assert mentions("torch.manual_seed(0); seeds = [0, 1, 2]; five seeds of the reference answer") == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_student_facing_notebooks_do_not_mention_the_private_material(path):
    found = [(i, hit) for i, cell in enumerate(read_notebook(path).cells) for hit in mentions(cell.source)]
    assert not found, f"{path.relative_to(REPO)}: cells mention the course's private material: {found}"
