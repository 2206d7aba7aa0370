"""Build the student releases of the exercises with nbgrader's generate_assignment."""

from __future__ import annotations

from pathlib import Path

from nbgrader.converters import GenerateAssignment

from .. import syllabus, visible_tests
from ..errors import CourseError
from . import converters, workspace


def build(day_id: str | None = None, workspace_dir: str | Path | None = None) -> list[Path]:
    """Generate the release of one day (or all days); return the released notebooks.

    With the default workspace the release lands in ``exercises/`` and its visible tests
    in ``course/visible_tests/dayNN.json`` (for ``course.check``); with another
    workspace it lands in that workspace's ``release/`` (tests compare the two).
    Every build also records the assignment's cells in the workspace gradebook.
    """
    days = [syllabus.get_day(day_id)] if day_id else syllabus.days()
    root = workspace.prepare(workspace_dir)
    cfg = workspace.load_config(root)
    out = []
    for d in days:
        if not d.solution_path.exists():
            raise CourseError(f"{d.id}: source notebook {d.solution_path} is missing")
        generate(cfg, d.id)
        out.append(root / "release" / d.id / d.notebook)
        if out[-1].resolve() == d.exercise_path.resolve():
            # the release in exercises/: the package's copy of its visible tests follows it (course.check)
            visible_tests.write([d])
    return out


def generate(cfg, day_id: str, release_directory: str | None = None) -> None:
    """Run generate_assignment for one day; raise CourseError with nbgrader's reason."""
    where = {"release_directory": release_directory} if release_directory is not None else {}
    finished, capture = converters.start(GenerateAssignment, cfg, day_id, **where)
    if not finished:
        reasons = "\n  ".join(capture.messages()) or "see nbgrader's log"
        raise CourseError(f"nbgrader could not generate {day_id}:\n  {reasons}") from None
