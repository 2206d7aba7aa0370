"""How much of Day 1's hidden tests an answer that reads the kernel gets out through one feedback file.

Two Day 1 submissions are graded with the real pipeline (course.grading.autograde.grade: the
sandboxed SafeExecute, nbgrader's Autograde and GenerateFeedback), then every run of base64 in
their feedback HTML is decoded and searched for Day 1's hidden-test lines:

* ``leak_everything`` (tests/support/attack_corpus.py): the reference answers, except the quiz,
  the last item: one of its answers is an object whose repr reads everything the kernel still
  holds of earlier cells (In / _ih, _iN, the history manager and its database, linecache, code
  objects and frames found through gc, sys.last_traceback, Out) and returns it zlib-compressed
  and base64-encoded. The quiz's visible test shows that repr in its failure message. A last cell
  of its own prints the same dump: the autograded notebook (which students never see) keeps it,
  and it tells what the kernel still held after the hidden tests, whatever the feedback shows.
* ``targeted``: what a student who knows the kernel's clean-up and the feedback's limits would do:
  an audit hook set in the first answer cell copies each cell's source as it is compiled (hidden
  tests included, while they run), and vertical_edge_conv raises its own AssertionError (the
  channel with the largest limit) carrying only the hidden cells' code, comments left out,
  zlib-compressed and base64-encoded in short words. It measures what the feedback's limits
  still let through in one message.

    .venv/bin/python benchmarks/hidden_test_leak.py --label before   # the code before the change
    .venv/bin/python benchmarks/hidden_test_leak.py --label after
    (results: benchmarks/results/hidden_test_leak.json; a run replaces the earlier run of its label)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "support"))

import nbformat  # noqa: E402

from attack_corpus import (BY_NAME, DAY, KERNEL_READERS, TOKENS, Context, _b64, _code, _inflated,  # noqa: E402
                           _reference, decoded, hidden_test_lines, write_attack)
from course.grading import autograde  # noqa: E402
from course.grading.feedback import hidden_lines  # noqa: E402
from course.notebooks import grade_id, read_notebook  # noqa: E402
from factory import write_submission  # noqa: E402

RESULTS = REPO / "benchmarks" / "results" / "hidden_test_leak.json"
KERNEL_DUMP = re.compile(r"ATK-KERNEL: (\S+)")

# an audit hook in the first answer cell copies every cell's source as the kernel compiles it (hidden tests
# included, as they run: nothing in the kernel can take that back)
RECORDER = """
import sys
_atk_compiled = []
sys.addaudithook(lambda event, args: event == "compile" and isinstance(args[0], bytes)
                 and _atk_compiled.append(args[0].decode("utf-8", "replace")))  # compile() gives its source as bytes
"""
TARGETED = KERNEL_READERS + """
def _atk_hidden_code():
    cells = [text for text in _atk_compiled + _atk_everything()
             if "BEGIN HIDDEN TESTS" in str(text) and "_atk_" not in str(text)]  # not this code
    lines = [line.strip() for text in cells for line in str(text).splitlines()
             if line.strip() and not line.strip().startswith("#")]
    return "\\n".join(dict.fromkeys(lines))


def vertical_edge_conv():
    packed = _atk_b64.b64encode(_atk_zlib.compress(_atk_hidden_code().encode(), 9)).decode()
    raise AssertionError("ATK: " + " ".join(packed[i:i + 6] for i in range(0, len(packed), 6)))
"""


def targeted_notebook(ctx: Context) -> nbformat.NotebookNode:
    nb = _reference(vertical_edge_conv=_code("targeted", TARGETED, ctx))
    first = next(c for c in nb.cells if grade_id(c) == "conv_output_size")
    first.source = _code("targeted", RECORDER, ctx) + first.source
    return nb


def packed_tokens(text: str) -> str:
    """The targeted attack's encoding read back: short words of base64 of a zlib stream."""
    return "\n".join(_inflated(_b64("".join(found.split()))).decode("utf-8", "replace")
                     for found in TOKENS.findall(text))


def outputs_text(nb) -> str:
    return "\n".join(str(out.get(key, "")) for cell in nb.cells for out in cell.get("outputs", [])
                     for key in ("text", "evalue"))


def recovered(text: str, lines: set[str]) -> list[str]:
    return sorted(line for line in lines if line in text)


def measure(report, student: str, decode, every_line: set[str], secret: set[str]) -> dict:
    ws = report.workspace
    page = (ws / "feedback" / student / DAY.id / DAY.notebook.replace(".ipynb", ".html")).read_text(encoding="utf-8")
    autograded = nbformat.read(ws / "autograded" / student / DAY.id / DAY.notebook, as_version=4)
    out_of_feedback = decode(page)
    sub = report.get(student, DAY.id)
    row = {
        "status": sub.status,
        "score": sub.total[0] if sub.status == "graded" else None,
        "feedback_hidden_lines_recovered": len(recovered(out_of_feedback, every_line)),
        "feedback_share_of_hidden_lines": round(len(recovered(out_of_feedback, every_line)) / len(every_line), 3),
        "feedback_secret_lines_recovered": len(recovered(out_of_feedback, secret)),
        "feedback_html_characters": len(page),
    }
    dump = KERNEL_DUMP.findall(outputs_text(autograded))
    if dump:
        in_kernel = decoded(" ".join(dump), "zlib")
        row["kernel_hidden_lines_still_readable"] = len(recovered(in_kernel, every_line))
        row["kernel_secret_lines_still_readable"] = len(recovered(in_kernel, secret))
    return row


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout
        dirty = subprocess.run(["git", "status", "--porcelain", "course/"], cwd=REPO, capture_output=True,
                               text=True).stdout
        return head.strip() + (" + uncommitted changes under course/" if dirty.strip() else "")
    except OSError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="after", help="name of this run in the results file (before / after)")
    args = parser.parse_args()

    every_line = hidden_lines(read_notebook(DAY.solution_path).cells)
    secret = hidden_test_lines()
    ctx = Context()
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        subs = Path(tmp) / "subs"
        attack = BY_NAME["leak_everything"]
        write_attack(subs, attack, ctx)
        write_submission(subs, "targeted", DAY, targeted_notebook(ctx))
        report = autograde.grade(subs, day_id=DAY.id, workspace_dir=Path(tmp) / "ws", workers=2)
        rows = {"leak_everything": measure(report, attack.student, lambda page: decoded(page, "zlib"),
                                           every_line, secret),
                "targeted": measure(report, "targeted", packed_tokens, every_line, secret)}
    run = {"commit": commit(), "machine": machine(), "seconds": round(time.monotonic() - start, 1),
           "sandbox": report.sandbox, "attacks": rows}

    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results.update({
        "benchmark": "Day 1 hidden-test lines that an answer reading the kernel gets out through its feedback",
        "hidden_lines": len(every_line),
        "hidden_lines_the_release_does_not_show": len(secret),
        "how": "leak_everything and targeted (see benchmarks/hidden_test_leak.py), graded by autograde.grade with "
               "2 workers; every base64 run of each feedback HTML decoded; hidden lines: "
               "course.grading.feedback.hidden_lines of solutions/day01/day01.ipynb",
    })
    results.setdefault("runs", {})[args.label] = run
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(run, indent=2))


if __name__ == "__main__":
    main()
