"""nbgrader settings for the course: the one place for grading settings.

Read by `course build` / `course grade` (through course.workspace), by the
formgrader in `make lab` (JUPYTER_CONFIG_PATH points here) and by the tests.
"""
import os

c = get_config()  # noqa: F821 (injected by traitlets)

# The grading workspace is this folder: source/ (-> ../solutions),
# release/ (-> ../exercises), submitted/, autograded/, feedback/, gradebook.db.
# `course grade --workspace DIR` replaces the root, nothing else.
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "cnn-pytorch"

# Seconds a single cell may run before it is interrupted (nbgrader's default
# of 30 s is too short for a CPU-bound cell on a 2-core machine). The lesson
# notebooks are executed under the same limit by the tests.
c.Execute.timeout = 60
# Give an interrupted kernel a moment, then move on to the next cell.
c.Execute.interrupt_on_timeout = True

# A student who deletes a graded test cell is graded with the original one
# (otherwise the missing cell would score 0 and the instructor never knows).
c.OverwriteCells.add_missing_cells = True

# Regrade when asked to: `course grade` is re-runnable and gives the same result.
c.BaseConverter.force = True

# Keep the report readable: nbgrader's own log goes to the console at warning level.
c.Application.log_level = "WARN"

# The kernel's own start-up chatter would otherwise fill the grading output.
c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"]

# Files an exercise writes when it runs in place (Day 3's image folder, Day 4's
# checkpoint) are not part of the release; nbgrader's defaults are kept.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "day03_data", "*.pt"]
