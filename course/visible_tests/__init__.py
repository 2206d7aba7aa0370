"""The visible tests of each day's exercise, shipped with the package, and ``course.check`` that runs them.

``course.check("day01")`` is the self-check a student runs *inside* the exercise
notebook (on Colab too, where there is no nbgrader, no course folder and the
notebook is not on disk). It runs the day's visible tests against the kernel's
current names and prints the same per-item table as ``course check NOTEBOOK``.

The tests come from ``course/visible_tests/dayNN.json``, generated from the
student release (``exercises/``) by ``course build`` (:func:`write`): for each
visible test cell its grade id, item, points and source, plus the release's
locked set-up cells. They are built from the release only, so they hold nothing
that the student's notebook does not show; hidden tests never get here.

How the tests run (see :func:`run`):

- In the kernel's own namespace, as the notebook's test cells run: two tests
  (Day 4's ``fit``, Day 5's ``vgg16_features``) put stand-ins into ``globals()``
  for the student's function to call, which works only when the test's globals
  are the dict the student's functions were defined in (a shallow copy would make
  them fail for correct answers). Afterwards every name is put back as it was:
  names the tests added are removed, names they rebound get their old objects.
- The set-up cells are not run again (Day 6's would replace the student's
  ``day06_model``, Day 4's would restart the training recorder, each reseeds
  torch): when the names they define are missing, the report says to run the
  notebook from the top.
- An item is "not answered" when a test raises NotImplementedError, or a name the
  student has to define (a test's ``needs``, or any name no locked cell defines)
  is undefined.
- Under nbgrader (``NBGRADER_EXECUTION`` set) nothing runs: the grader runs the
  visible and hidden tests itself.
"""

from .build import CHECK_MARKDOWN, MARKER, add_check_cells, build, check_cells, check_in_sync, json_path, write, write_all
from .run import SKIP_MESSAGE, check, load, run

__all__ = ["CHECK_MARKDOWN", "MARKER", "SKIP_MESSAGE", "add_check_cells", "build", "check", "check_cells",
           "check_in_sync", "json_path", "load", "run", "write", "write_all"]
