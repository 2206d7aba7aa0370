"""pytest parameters shared by the test modules: one per course day, and the xdist group of a day's graded batch."""

import pytest

from course import syllabus


def all_days():
    return [pytest.param(d, id=d.id) for d in syllabus.days()]


def grading_group(day) -> pytest.MarkDecorator:
    """All the tests that read one day's graded batch run on one xdist worker."""
    return pytest.mark.xdist_group(f"grading-{day.id}")


def grading_days():
    return [pytest.param(d, id=d.id, marks=grading_group(d)) for d in syllabus.days()]
