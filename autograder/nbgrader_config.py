"""nbgrader settings for the course: the one place for grading settings.

Read by `course build` / `course grade` (through course.grading.workspace), by the
formgrader in `make lab` (JUPYTER_CONFIG_PATH points here) and by the tests.
"""
import os

from course import syllabus

c = get_config()  # noqa: F821 (injected by traitlets)

# The grading workspace is this folder: source/ (-> ../solutions),
# release/ (-> ../exercises), submitted/, autograded/, feedback/, gradebook.db.
# `course grade --workspace DIR` replaces the root, nothing else; so does COURSE_WORKSPACE
# (the course hub's servers and grading service, for a class graded elsewhere).
c.CourseDirectory.root = os.environ.get("COURSE_WORKSPACE") or os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = syllabus.course_id()  # named once, in course/syllabus.toml

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

# Untrusted notebooks: each kernel runs sandboxed and guarded (course.grading.safe_execute:
# own uid, a scratch folder with only that submission, hidden course files, no
# network, the limits below), and dies alone when it misbehaves.
from course.grading.safe_execute import SafeExecute  # noqa: E402
from course.grading.feedback import RedactHiddenTests  # noqa: E402
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, GetGrades, IgnorePattern,  # noqa: E402
                                    LimitOutput, SaveAutoGrades)

c.Autograde.autograde_preprocessors = [SafeExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
# the autograded notebook keeps what the grader detected (tampering, limits) for the report
c.ClearMetadataPreprocessor.preserve_nb_metadata_mask = {("language_info", "name"), "course_grading"}
c.SafeExecute.notebook_timeout = 900   # wall-clock seconds for a whole notebook
c.SafeExecute.interrupt_grace = 5      # an interrupted cell that does not stop by then: the kernel is killed
c.SafeExecute.cpu_seconds = 900        # CPU seconds of the kernel and all it starts
c.SafeExecute.memory_mb = 8192         # address space; set None on CUDA machines (CUDA maps far more than it uses)
c.SafeExecute.processes = 256          # processes + threads of one kernel's user (a fork bomb stops there)
c.SafeExecute.file_size_mb = 64        # largest file a kernel may write
c.SafeExecute.threads = 0              # torch threads per kernel; 0: the cores shared among the grading workers

# Feedback: hidden tests show their name, points and outcome only (nbgrader's
# default shows their source and tracebacks, which give away the asserted values).
c.GenerateFeedback.preprocessors = [GetGrades, RedactHiddenTests, CSSHTMLHeaderPreprocessor]

# Keep the report readable: nbgrader's own log goes to the console at warning level.
c.Application.log_level = "WARN"

# The kernel's own start-up chatter would otherwise fill the grading output.
c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"]

# Files an exercise writes when it runs in place (Day 3's image folder, Day 4's
# checkpoint) are not part of the release; nbgrader's defaults are kept.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "day03_data", "*.pt"]

# The exchange students fetch from and submit to (nbgrader's file-system exchange, root-owned,
# made by `course hub`); the hub passes its own folder to every server in COURSE_EXCHANGE.
c.Exchange.root = os.environ.get("COURSE_EXCHANGE", "/srv/nbgrader/exchange")
# On Kubernetes the exchange is ngshare, a hub service (deploy/kubernetes/): no shared file system.
if os.environ.get("NGSHARE_URL"):
    from ngshare_exchange import configureExchange  # noqa: E402

    configureExchange(c, os.environ["NGSHARE_URL"])
