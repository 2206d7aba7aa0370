"""The CNN course in PyTorch: lessons, nbgrader exercises and the tools around them.

Library API (the ``course`` command is a thin layer over it):

- :mod:`course.syllabus`  the days and their graded items
- :mod:`course.release`   build student releases with nbgrader
- :mod:`course.grading`   autograde submissions with nbgrader, feedback, CSV
- :mod:`course.selfcheck` run a notebook's visible tests (no nbgrader needed)
- :mod:`course.checks`    helpers the exercise tests call
"""

__version__ = "0.1.0"
