import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from course import syllabus  # noqa: E402

REPO = syllabus.REPO_ROOT


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


def all_days():
    return [pytest.param(d, id=d.id) for d in syllabus.days()]
