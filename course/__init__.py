"""The CNN course in PyTorch: lessons, nbgrader exercises and the tools around them.

Library API (the ``course`` command is a thin layer over it):

- :mod:`course.syllabus`  the days and their graded items
- :mod:`course.selfcheck` run a notebook's visible tests (no nbgrader needed)
- :func:`course.check`    the same self-check inside the exercise notebook (Colab too), from :mod:`course.visible_tests`
- :mod:`course.checks`    helpers the exercise tests call
- :mod:`course.grading`   the instructor's side: build releases, autograde with nbgrader, feedback, CSV
  (nothing on the student's side imports it)
"""

__version__ = "0.1.0"


def check(day: str, namespace: dict | None = None):
    """Self-check inside an exercise notebook: ``course.check("day01")``.

    Runs the day's visible tests on this kernel's names (IPython's ``user_ns``, or the
    caller's globals outside IPython, or ``namespace``), prints a table per graded item
    and returns the report. Hidden tests run only when the notebook is graded; under
    nbgrader the check prints one line and does nothing else. Imports torch only when
    called, not at ``import course``.
    """
    import sys

    from .visible_tests import check as _check

    return _check(day, namespace, _caller_globals=sys._getframe(1).f_globals)
