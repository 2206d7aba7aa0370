"""Hostile submissions (issue 7): graded among honest ones, they gain nothing, harm nothing and are reported.

Every attack of tests/support/attack_corpus.py is written as its own student
(``atk_<name>``) next to three honest students, and the lot is graded in ONE
``autograde.grade`` call, as an instructor would; the honest students are also
graded alone, first, in a workspace of their own. The honest ids sort around the
attacks (``aa_`` before, ``zz_`` after) so that damage done to the students
graded before an attack, or to those after it, both show.

Attacks whose only defence is an isolation the machine does not give (see
``course.grading.sandbox.capabilities()``), or that would harm the machine without it
(killing the kernel's parent, a fork bomb), are not graded at all there: their
tests are skipped with the reason.

    .venv/bin/python -m pytest tests/grading/test_grading_attacks.py -p no:xdist -x -q

It is a long test: some 40 Day 1 submissions, two of them held up by the cell
time limit (60 s). ``COURSE_ATTACKS=name,name`` grades only those attacks (with the
honest students; the others' tests are skipped), for a quick look at one:

    COURSE_ATTACKS=quiz_display_swallow .venv/bin/python -m pytest tests/grading/test_grading_attacks.py -p no:xdist -q
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook, MissingEntry

from attack_corpus import ATTACKS, BY_NAME, DAY, FOUND, Attack, Context, decoded, hidden_lines_in, write_attack
from course import syllabus
from course.grading import autograde
from course.grading.submission import GradingReport
from factory import reference_answers, submission, variants, write_submission
from grading_batch import full, got
from make_samples import PICKS

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("attacks")]

HONEST = ("aa_honest_full", "aa_honest_unanswered", "zz_honest_partial")
WORKERS = 2
CAPABILITIES = ("uid_drop", "mount_namespace", "network_namespace", "pid_namespace", "limits")
WATCHED = (signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2, signal.SIGINT)
TOKEN_ENV = "COURSE_ATTACK_TOKEN"  # set while grading: every kernel inherits it (unless the sandbox clears it)
ONLY_ENV = "COURSE_ATTACKS"  # names of the only attacks to grade (comma-separated); unset: all of them


# --------------------------------------------------------------------------- helpers

class _NoSandbox:
    """Capabilities when course.grading.sandbox is not there at all."""

    uid_drop = mount_namespace = network_namespace = pid_namespace = limits = False

    def __init__(self, reason: str) -> None:
        self.missing = [reason]


def capabilities():
    try:
        from course.grading.sandbox import capabilities as probe
    except ImportError as exc:
        return _NoSandbox(f"course.grading.sandbox.capabilities() is not available ({exc})")
    return probe()


def lacking(attack: Attack, caps, which: str = "needs") -> list[str]:
    return [name for name in getattr(attack, which) if not getattr(caps, name, False)]


def honest_notebooks() -> dict[str, nbformat.NotebookNode]:
    mutants = variants("mutants", DAY)
    ben = dict(mutants[name] for name in PICKS[DAY.id]["ben"])  # one listed mistake in every item
    return {"aa_honest_full": submission(DAY, reference_answers(DAY)),
            "aa_honest_unanswered": submission(DAY),
            "zz_honest_partial": submission(DAY, ben)}


def ancestors(pid: int) -> list[int]:
    """``pid`` and the processes above it."""
    out = []
    while pid > 1 and len(out) < 64:
        out.append(pid)
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            break
        pid = int(stat.rsplit(")", 1)[1].split()[1])
    return out


def marked_processes(ctx: Context) -> list[tuple[int, str]]:
    """Processes started by the graded notebooks: the attacks' marker in the command line, or the token inherited."""
    token_env = f"{TOKEN_ENV}={ctx.token}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if ctx.process_marker.encode() in cmdline or token_env in environ:
            found.append((int(entry.name), cmdline.replace(b"\0", b" ").decode(errors="replace")[:160]))
    return found


def outputs_text(path: Path) -> str:
    """Everything the cells of a notebook printed or raised."""
    if not path.exists():
        return ""
    parts = []
    for cell in nbformat.read(path, as_version=4).cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.append(" ".join([out.get("ename", ""), out.get("evalue", ""), *out.get("traceback", [])]))
            parts.append(str(out.get("data", {}).get("text/plain", "")))
    return "\n".join(p for p in parts if p)


def flags_of(sub) -> list[str]:
    return list(getattr(sub, "flags", None) or [])


def report_text(sub) -> str:
    return " ".join([*sub.notes, *flags_of(sub), sub.error or ""]).lower()


class Listener:
    """A TCP server on 127.0.0.1 in the grading process's network namespace: it records who connects."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.peers: list = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, peer = self.sock.accept()
            except OSError:  # the timeout, or closed
                continue
            with conn:
                self.peers.append(peer)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@dataclass
class Batch:
    tmp: Path
    ctx: Context
    caps: object
    graded: dict[str, Attack]  # the attacks written into the batch
    excluded: dict[str, str]  # attack -> why it was not graded here
    report: GradingReport | None = None
    alone: GradingReport | None = None
    seconds: float = 0.0
    peers: list = field(default_factory=list)
    signals: list[int] = field(default_factory=list)
    leftovers: list[tuple[int, str]] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    parent_before: int = 0
    parent_after: int = 0

    def attack(self, name: str):
        """The report's submission of attack ``name``, or a skip saying why it was not graded here."""
        if name in self.excluded:
            pytest.skip(self.excluded[name])
        return self.report.get(BY_NAME[name].student, DAY.id)


# --------------------------------------------------------------------------- the graded batch

@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("attacks")
    listener = Listener()
    ctx = Context(token=secrets.token_hex(6), server_port=listener.port,
                  protected_pids=frozenset(ancestors(os.getpid())), allowed_roots=(str(tmp),))
    caps = capabilities()
    graded, excluded = {}, {}
    only = {name.strip() for name in os.environ.get(ONLY_ENV, "").split(",") if name.strip()}
    assert only <= set(BY_NAME), f"{ONLY_ENV} names attacks the corpus does not have: {sorted(only - set(BY_NAME))}"
    for attack in ATTACKS:
        missing = lacking(attack, caps)
        if only and attack.name not in only:
            excluded[attack.name] = f"{attack.name} not graded: {ONLY_ENV} names only {sorted(only)}"
        elif missing:
            excluded[attack.name] = (f"{attack.name} not graded: it needs {', '.join(missing)}, which this "
                                     f"machine's grading sandbox lacks ({'; '.join(caps.missing)})")
        else:
            graded[attack.name] = attack
    result = Batch(tmp, ctx, caps, graded, excluded)

    alone, subs = tmp / "honest-alone", tmp / "submissions"
    for student, nb in honest_notebooks().items():
        write_submission(alone, student, DAY, nb)
        write_submission(subs, student, DAY, nb)
    for attack in graded.values():
        write_attack(subs, attack, ctx)

    previous = {}

    def record(signum, frame):
        result.signals.append(signum)
        if signum == signal.SIGINT and callable(previous.get(signum)):
            previous[signum](signum, frame)  # still a KeyboardInterrupt for whoever pressed Ctrl-C

    for sig in WATCHED:
        previous[sig] = signal.signal(sig, record)
    os.environ[TOKEN_ENV] = ctx.token
    result.parent_before = os.getppid()
    try:
        # alone first: an attack that outlives its kernel cannot reach this workspace
        result.alone = autograde.grade(alone, day_id=DAY.id, workspace_dir=tmp / "ws-alone", workers=WORKERS)
        start = time.monotonic()
        result.report = autograde.grade(subs, day_id=DAY.id, workspace_dir=tmp / "ws", workers=WORKERS)
        result.seconds = time.monotonic() - start
        print(f"graded {len(graded)} attacks and {len(HONEST)} honest students in {result.seconds:.0f} s")
    finally:
        os.environ.pop(TOKEN_ENV, None)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        result.parent_after = os.getppid()
        deadline = time.monotonic() + 5  # a kernel that is shutting down gets a moment
        while marked_processes(ctx) and time.monotonic() < deadline:
            time.sleep(0.5)
        result.leftovers = marked_processes(ctx)
        for pid, _ in result.leftovers:  # started by this test's submissions: end them
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        listener.close()
        result.peers = list(listener.peers)
        # what write_outside left outside its folder: recorded, then removed (never left in the repository)
        own = f"/{BY_NAME['write_outside'].student}/{DAY.id}/"
        places = [syllabus.REPO_ROOT, Path("/tmp"), Path(tempfile.gettempdir())]
        found = [place / ctx.written_name for place in places] + list(tmp.rglob(ctx.written_name))
        result.written = sorted({str(p) for p in found if p.exists() and own not in str(p)})
        for place in places:
            (place / ctx.written_name).unlink(missing_ok=True)
    yield result


def _names(with_attr: str | None = None) -> list[str]:
    return [a.name for a in ATTACKS if with_attr is None or getattr(a, with_attr)]


# --------------------------------------------------------------------------- the tests

def test_sandbox_is_complete(batch):
    """Every isolation in force, or a skip that names what is missing (COURSE_STRICT_SANDBOX=1 makes it a failure)."""
    missing = [name for name in CAPABILITIES if not getattr(batch.caps, name, False)]
    if not missing:
        return
    why = (f"the grading sandbox lacks {missing} ({'; '.join(batch.caps.missing)}), so these attacks were not "
           f"graded: {sorted(batch.excluded)}")
    if os.environ.get("COURSE_STRICT_SANDBOX"):  # set where the grading machine must have every isolation
        pytest.fail(why)
    pytest.skip(why)  # grading goes on with what the machine has (issue 7); the skip says what is missing


@pytest.mark.parametrize("name", _names())
def test_attack_gains_no_points(batch, name):
    attack, sub = BY_NAME[name], batch.attack(name)
    unearned = {item: (score, most) for item, (score, most) in sub.scores.items()
                if score > attack.most(item, most)}
    assert not unearned, (f"{name} ({attack.what}) got points its honest part does not earn: "
                          f"{ {i: f'{s:g} of {m:g}' for i, (s, m) in unearned.items()} }; "
                          f"it may earn {attack.earns or 'nothing'}; notes {sub.notes}; flags {flags_of(sub)}")


@pytest.mark.parametrize("name", _names())
def test_attack_changes_no_item_maximum(batch, name):
    sub = batch.attack(name)
    if sub.status != "graded":
        pytest.skip(f"{name} was not graded ({sub.error}): no scores to check")
    want = full(batch.report.get("aa_honest_full", DAY.id))
    assert full(sub) == want, f"{name} changed the points its items are worth: {full(sub)} instead of {want}"


@pytest.mark.parametrize("name", _names("keeps"))
def test_attack_keeps_the_honest_points(batch, name):
    attack, sub = BY_NAME[name], batch.attack(name)
    assert sub.status == "graded", f"{name} ({attack.what}) was not graded: {sub.error}; flags {flags_of(sub)}"
    lost = {item: sub.scores.get(item) for item in attack.keeps
            if item not in sub.scores or sub.scores[item][0] != sub.scores[item][1]}
    assert not lost, (f"{name} ({attack.what}) lost the points of answers whose tests ran before the attack: "
                      f"{lost}; notes {sub.notes}; flags {flags_of(sub)}")


@pytest.mark.parametrize("name", _names("keywords"))
def test_report_says_what_happened(batch, name):
    attack, sub = BY_NAME[name], batch.attack(name)
    missing = lacking(attack, batch.caps, "keyword_needs")
    if missing:
        pytest.skip(f"{name}: without {', '.join(missing)} the grader has nothing to report")
    text = report_text(sub)
    unsaid = [group for group in attack.keywords if not any(word.lower() in text for word in group)]
    assert not unsaid, (f"the report of {name} ({attack.what}) mentions none of {unsaid}: "
                        f"notes {sub.notes}; flags {flags_of(sub)}; error {sub.error!r}")


@pytest.mark.parametrize("name", _names())
def test_attack_reaches_nothing_outside_its_folder(batch, name):
    """What an attack printed: nothing it found outside its own folder, no other student's id."""
    sub = batch.attack(name)
    if not batch.caps.mount_namespace:
        pytest.skip("no private file-system view: an attack sees what the grader sees")
    text = outputs_text(batch.report.workspace / "autograded" / sub.student / DAY.id / DAY.notebook)
    leaks = [line for line in text.splitlines() if FOUND in line or any(h in line for h in HONEST)]
    assert not leaks, f"{name} reached outside its folder:\n" + "\n".join(leaks[:20])


@pytest.mark.parametrize("name", _names("leak"))
def test_feedback_carries_no_hidden_test_line(batch, name):
    """An answer that reads earlier cells in the kernel and shows them, encoded: its feedback, decoded the way the
    attack encoded it (the whole page, as a student can read its source), holds none of the hidden tests' lines."""
    attack, sub = BY_NAME[name], batch.attack(name)
    assert sub.status == "graded", f"{name} was not graded: {sub.error}"
    page = batch.report.workspace / "feedback" / sub.student / DAY.id / DAY.notebook.replace(".ipynb", ".html")
    assert page.exists(), f"{name} has no feedback: {sub.notes}"
    found = hidden_lines_in(decoded(page.read_text(encoding="utf-8"), attack.leak))
    assert not found, (f"{name} ({attack.what}) got {len(found)} hidden-test lines out through its feedback "
                       f"({attack.leak}), e.g. {found[:3]}")


def test_report_has_flags_and_no_false_alarms(batch):
    for sub in batch.report.submissions:
        assert isinstance(getattr(sub, "flags", None), list), f"{sub.student}: Submission.flags should be a list"
    for student in HONEST:
        sub = batch.report.get(student, DAY.id)
        assert not sub.flags, f"honest {student} was flagged: {sub.flags}"


@pytest.mark.parametrize("student", HONEST)
def test_honest_students_score_as_when_graded_alone(batch, student):
    among = batch.report.get(student, DAY.id)
    alone = batch.alone.get(student, DAY.id)
    assert alone.status == "graded", f"{student} alone: {alone.error}"
    assert among.status == "graded", f"{student} among the attacks was not graded: {among.error}"
    assert among.scores == alone.scores, (f"{student} scored differently among the attacks: {among.scores} "
                                          f"instead of {alone.scores}; notes {among.notes}; flags {flags_of(among)}")


def test_honest_students_score_as_expected(batch):
    scores = {s: batch.alone.get(s, DAY.id) for s in HONEST}
    assert got(scores["aa_honest_full"]) == full(scores["aa_honest_full"]), scores["aa_honest_full"].scores
    assert sum(got(scores["aa_honest_unanswered"]).values()) == 0, scores["aa_honest_unanswered"].scores
    partial = scores["zz_honest_partial"].total
    assert 0 < partial[0] < partial[1], f"the partial student should get some points, not all: {partial}"


def test_gradebook_matches_the_report(batch):
    """One submission per graded student, with the report's scores (nothing rewrote them afterwards)."""
    db_url = f"sqlite:///{batch.report.workspace / 'gradebook.db'}"
    problems = []
    with Gradebook(db_url) as gb:
        in_book = [s.student.id for s in gb.find_assignment(DAY.id).submissions]
        reported = {s.student: s for s in batch.report.submissions if s.day.id == DAY.id}
        if len(in_book) != len(set(in_book)):
            problems.append(f"students with several submissions: {sorted(s for s in in_book if in_book.count(s) > 1)}")
        if set(in_book) - set(reported):
            problems.append(f"submissions of students the report does not list: {sorted(set(in_book) - set(reported))}")
        for sub in reported.values():
            try:
                nb = gb.find_submission_notebook(Path(DAY.notebook).stem, DAY.id, sub.student)
            except MissingEntry:
                if sub.status == "graded":
                    problems.append(f"{sub.student}: graded, but not in the gradebook")
                continue
            per_item: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
            for g in nb.grades:
                item = syllabus.item_of_test(g.name, DAY.items)
                if item is None:
                    problems.append(f"{sub.student}: a grade for {g.name}, a cell of no item")
                    continue
                per_item[item][0] += float(g.score or 0.0)
                per_item[item][1] += float(g.max_score or 0.0)
            book = {item: tuple(v) for item, v in per_item.items()}
            if sub.status == "graded" and book != sub.scores:
                problems.append(f"{sub.student}: gradebook {book} but report {sub.scores}")
            if sub.status != "graded" and sum(s for s, _ in book.values()):
                problems.append(f"{sub.student}: failed ({sub.error}) but has points in the gradebook: {book}")
    assert not problems, "\n".join(problems)


def test_no_file_written_outside(batch):
    batch.attack("write_outside")
    assert not batch.written, f"a submission wrote outside its folder (removed now): {batch.written}"


def test_no_connection_reached_the_grading_machine(batch):
    batch.attack("network")
    assert not batch.peers, f"a submission connected to a server of the grading machine from {batch.peers}"


def test_grader_and_test_runner_survive(batch):
    assert batch.report is not None and batch.alone is not None
    assert not batch.signals, f"the test runner was signalled while grading: {batch.signals}"
    assert batch.parent_after == batch.parent_before, "the test runner's parent changed: it was killed"
    students = {s.student for s in batch.report.submissions}
    missing = {a.student for a in batch.graded.values()} - students
    assert not missing, f"submissions missing from the report: {missing}"


def test_no_attack_process_outlives_grading(batch):
    assert not batch.leftovers, (f"processes started by the submissions were still running after grading "
                                 f"(killed now): {batch.leftovers}")


# --------------------------------------------------------------------------- the result a test cell shows (fast)

def test_end_marker_says_what_the_last_expression_computed():
    import contextlib
    import io

    from course.grading.safe_execute import with_end_marker

    for source, said in [("score(6)", "M int:6"), ("score(0.5)", "M float:0.5"), ("score(None)", "M none"),
                         ("score('6')", "M other"), ("score(True)", "M other"), ("x = score(6)", "M"),
                         ("score(6);", "M"), ("score(6)  # the last line", "M int:6")]:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(with_end_marker(source, "M", value=True), {"score": lambda v: v})
        assert out.getvalue() == said + "\n", (source, out.getvalue())


def test_a_test_cell_must_show_what_it_computed():
    from course.grading.safe_execute import result_problem

    def shown(*texts):
        return [{"output_type": "execute_result", "data": {"text/plain": t}} for t in texts]

    assert result_problem(shown("6"), "int:6") == result_problem([], "none") == ""
    assert result_problem(shown("0.50"), "float:0.5") == ""  # %precision
    assert "not shown" in result_problem([], "int:0")  # swallowed (sys.displayhook, a display hook, ...)
    assert "'all'" in result_problem(shown("all"), "int:0")  # altered (a formatter)
    assert "'6'" in result_problem(shown("6"), "int:0")
    assert "no value" in result_problem(shown("1"), "none")  # shown by the code under test
    assert "2 results" in result_problem(shown("0", "6"), "int:0")


def test_the_end_marker_is_read_when_the_kernel_sends_one_print_in_pieces():
    """Under load the kernel's output thread may flush between the parts of one print: the marker and its value
    arrive as separate stream messages (seen in a graded Day 5 notebook: 'course-end-...' then ' int:8')."""
    from nbformat.notebooknode import NotebookNode

    from course.grading.safe_execute import SafeExecute

    def stream(text, name="stdout"):
        return NotebookNode(output_type="stream", name=name, text=text)

    result = NotebookNode(output_type="execute_result", data={"text/plain": "8"}, metadata={}, execution_count=1)
    cell = NotebookNode(outputs=[stream("checked\n"), stream("M"), stream(" int:8"), stream("\n"), result])
    assert SafeExecute._take_marker(None, cell, "M") == ["int:8"]
    assert [o.get("text", "") for o in cell.outputs] == ["checked\n", ""]
    cell = NotebookNode(outputs=[stream("M"), stream("x", "stderr"), stream(" int:8\n")])
    assert SafeExecute._take_marker(None, cell, "M") == ["none"]  # not one print: another stream came between
