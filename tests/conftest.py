import os
from pathlib import Path

import pytest
from packaging.version import Version

from course import syllabus

REPO = syllabus.REPO_ROOT
_GRADED: dict = {}


def pytest_configure(config):
    """Refuse a pytest that loses xdist groups; share the cores between xdist workers: every kernel a worker starts (nbgrader's,
    nbclient's) inherits this, and torch with more threads than cores slows down manyfold."""
    if config.getoption("dist", None) == "loadgroup" and Version(pytest.__version__) >= Version("9.2"):
        # each day's batch would be graded on every worker, silently (pytest-xdist#1386)
        raise pytest.UsageError(f"pytest {pytest.__version__} breaks xdist's --dist loadgroup "
                                "(pytest-xdist#1386): pip install -e '.[dev]' installs the pytest it needs")
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if workers > 1:
        os.environ.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // workers)))


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def graded_batch(tmp_path_factory):
    """``graded_batch(day)``: that day's batch, graded once per session (see support/grading_batch.py)."""
    from grading_batch import grade_batch

    def get(day):
        if day.id not in _GRADED:
            _GRADED[day.id] = grade_batch(day, tmp_path_factory.mktemp(f"graded-{day.id}"))
        return _GRADED[day.id]
    return get
