"""The days of the course, read from ``syllabus.toml`` (shipped with the package)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import CourseError

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Day:
    id: str
    title: str
    lesson: str
    notebook: str
    items: tuple[str, ...]
    # graded on arrival by the hub's grading service, with this many graded attempts per student
    feedback_on_submit: bool = False
    graded_attempts: int = 0

    @property
    def solution_path(self) -> Path:
        return REPO_ROOT / "solutions" / self.id / self.notebook

    @property
    def exercise_path(self) -> Path:
        return REPO_ROOT / "exercises" / self.id / self.notebook

    @property
    def lesson_path(self) -> Path:
        return REPO_ROOT / self.lesson


@lru_cache(maxsize=None)
def _load() -> dict:
    text = resources.files("course").joinpath("syllabus.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def course_id() -> str:
    return _load()["course_id"]


def repository() -> str:
    """The course's GitHub repository (``https://github.com/OWNER/REPO``): Colab badges and installs."""
    return _load()["repository"]


def branch() -> str:
    """The branch students' Colab badges open and the bootstrap installs from."""
    return _load()["branch"]


def days() -> list[Day]:
    return [
        Day(d["id"], d["title"], d["lesson"], d["notebook"], tuple(d["items"]),
            feedback_on_submit=d.get("feedback_on_submit", False), graded_attempts=d.get("graded_attempts", 0))
        for d in _load()["day"]
    ]


def get_day(name: str | int) -> Day:
    """Accept ``day01``, ``DAY01``, ``1`` or ``01``; raise CourseError for an unknown day."""
    text = str(name).strip().lower()
    m = re.fullmatch(r"(?:day)?0*(\d+)", text)
    known = {d.id: d for d in days()}
    if m:
        key = f"day{int(m.group(1)):02d}"
        if key in known:
            return known[key]
    raise CourseError(f"unknown day {name!r}: the course has {', '.join(known)}")


def item_of_test(grade_id: str, items: tuple[str, ...]) -> str | None:
    """The graded item a test cell belongs to: its grade id starts with ``test_<item>``."""
    matches = [i for i in items if grade_id.startswith(f"test_{i}")]
    return max(matches, key=len) if matches else None
