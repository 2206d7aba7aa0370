"""The grading runtime: the instructor's side of the course, built on nbgrader.

Nothing a student's notebook or ``course.check`` imports reaches this package
(an import-linter contract in pyproject.toml keeps it so). It holds:

- ``release``: build the student release with nbgrader (and its visible tests for ``course.check``);
- ``autograde``: grade a folder of submissions, one day at a time (``grade``),
  after ``intake`` has checked and copied them; ``exports`` writes the CSV files,
  ``report`` the score table, ``progress`` the bar;
- ``parallel``: worker processes, each running nbgrader's Autograde and
  GenerateFeedback for one submission at a time on a private gradebook copy;
  ``merge`` carries each result into the real gradebook (one writer);
- ``safe_execute``: nbgrader's Execute step with each kernel in a ``sandbox``
  (started fast by a ``zygote``) and watched by the ``kernel_guard``;
- ``feedback``: feedback that shows hidden tests' outcome only;
- ``workspace`` and ``converters``: the nbgrader course folder, its config, and
  running nbgrader's converters quietly.

This file imports nothing: kernels import ``course.grading.kernel_guard`` and
``python -m course.grading.sandbox`` runs the sandbox, neither of which needs nbgrader.
"""
