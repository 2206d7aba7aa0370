"""Reliability of `course grade` against hostile submissions: one run, one table.

Grades the attack corpus (tests/support/attack_corpus.py) together with three honest
Day 1 students in ONE `course grade` run (2 workers), and the honest students
alone in another workspace, then counts:

* points wrongly awarded: over every attack and item, the points above what the
  honest part of that submission earns (must be 0);
* honest grades changed: honest students whose per-item scores differ from
  grading them alone (must be 0);
* gradebook integrity: one day01 submission per graded student in nbgrader's
  gradebook, its scores equal to the report's, no grade outside the six items;
* feedback leaks: hidden-test source lines, string literals and asserted numbers
  found in any student's feedback (must be 0).

    .venv/bin/python benchmarks/grading_reliability.py
    (results: benchmarks/results/grading_reliability.json and .md)
"""

from __future__ import annotations

import json
import os
import platform
import secrets as random_tokens
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "support"))

from nbgrader.api import Gradebook  # noqa: E402

from attack_corpus import ATTACKS, DAY, Context, write_attack  # noqa: E402
from course import syllabus  # noqa: E402
from course.grading import autograde  # noqa: E402
from factory import write_submission  # noqa: E402
from test_feedback_leaks import html_text, leaks  # noqa: E402
from test_grading_attacks import HONEST, Listener, ancestors, capabilities, honest_notebooks, lacking  # noqa: E402


def gradebook_scores(ws: Path) -> tuple[dict, int]:
    """{student: {item: score}} from nbgrader's gradebook, and the number of stray grades."""
    out, stray = {}, 0
    with Gradebook(f"sqlite:///{ws / 'gradebook.db'}") as gb:
        for student in gb.students:
            try:
                nb = gb.find_submission_notebook(Path(DAY.notebook).stem, DAY.id, student.id)
            except Exception:  # noqa: BLE001 (no submission)
                continue
            items = {}
            for g in nb.grades:
                item = syllabus.item_of_test(g.name, DAY.items)
                if item is None:
                    stray += 1
                    continue
                items[item] = items.get(item, 0.0) + float(g.score or 0)
            out[student.id] = items
    return out, stray


def main() -> None:
    caps = capabilities()
    listener = Listener()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ctx = Context(token=random_tokens.token_hex(6), server_port=listener.port,
                      protected_pids=frozenset(ancestors(os.getpid())), allowed_roots=(str(tmp),))
        attacks = [a for a in ATTACKS if not lacking(a, caps)]
        skipped = [a.name for a in ATTACKS if lacking(a, caps)]
        alone, subs = tmp / "alone", tmp / "subs"
        for student, nb in honest_notebooks().items():
            write_submission(alone, student, DAY, nb)
            write_submission(subs, student, DAY, nb)
        for attack in attacks:
            write_attack(subs, attack, ctx)
        solo = autograde.grade(alone, day_id=DAY.id, workspace_dir=tmp / "ws-alone", workers=2)
        start = time.monotonic()
        report = autograde.grade(subs, day_id=DAY.id, workspace_dir=tmp / "ws", workers=2)
        seconds = time.monotonic() - start

        wrongly, per_attack = 0.0, {}
        for attack in attacks:
            sub = report.get(attack.student)
            extra = sum(max(0.0, got - attack.most(item, most)) for item, (got, most) in sub.scores.items())
            wrongly += extra
            per_attack[attack.name] = {"status": sub.status, "score": sub.total[0] if sub.scores else 0.0,
                                       "points_wrongly_awarded": extra,
                                       "reported": (sub.flags + sub.notes + ([sub.error] if sub.error else []))[:3]}
        changed = [s for s in HONEST if report.get(s).scores != solo.get(s).scores]
        db, stray = gradebook_scores(tmp / "ws")
        graded = [s for s in report.submissions if s.status == "graded"]
        mismatched = [s.student for s in graded if db.get(s.student) != {i: g for i, (g, _) in s.scores.items()}]
        missing = [s.student for s in graded if s.student not in db]
        failed_in_db = [s.student for s in report.submissions if s.status != "graded" and any(db.get(s.student, {}).values())]
        leaked = {}
        for sub in graded:
            page = tmp / "ws" / "feedback" / sub.student / DAY.id / DAY.notebook.replace(".ipynb", ".html")
            if page.exists():
                found = leaks(html_text(page), (subs / sub.student / DAY.id / DAY.notebook).read_text())
                if found:
                    leaked[sub.student] = found[:3]
    listener.close()
    flagged_honest = [s for s in HONEST if report.get(s).flags]
    result = {
        "benchmark": "hostile Day 1 submissions graded in one course grade run among honest ones",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "sandbox": report.sandbox,
        "submissions_graded": len(report.submissions),
        "attacks_tried": len(attacks),
        "attacks_not_run_here": skipped,
        "points_wrongly_awarded": wrongly,
        "honest_grades_changed": len(changed),
        "honest_students_flagged": len(flagged_honest),
        "gradebook": {"one_submission_per_graded_student": not missing, "scores_match_report": not mismatched,
                      "grades_outside_the_items": stray, "failed_submissions_with_points": len(failed_in_db)},
        "feedback_leaks": sum(len(v) for v in leaked.values()),
        "feedback_leaks_found": leaked,
        "seconds": round(seconds, 1),
        "per_attack": per_attack,
    }
    out = REPO / "benchmarks" / "results" / "grading_reliability.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    gb_ok = not missing and not mismatched and not stray and not failed_in_db
    rows = [("submissions graded", len(report.submissions)), ("attacks tried", len(attacks)),
            ("points wrongly awarded (must be 0)", f"{wrongly:g}"),
            ("honest grades changed (must be 0)", len(changed)),
            ("honest students flagged (must be 0)", len(flagged_honest)),
            ("gradebook integrity", "consistent" if gb_ok else f"BROKEN: {result['gradebook']}"),
            ("feedback leaks (must be 0)", result["feedback_leaks"]),
            ("seconds for the run (2 workers)", f"{seconds:.0f}")]
    md = ["# Grading reliability (benchmarks/grading_reliability.py)", "",
          f"{result['machine']}; {report.sandbox}", "", "| figure | value |", "| --- | --- |"]
    md += [f"| {k} | {v} |" for k, v in rows]
    md += ["", "| attack | status | score | wrongly awarded | reported |", "| --- | --- | --- | --- | --- |"]
    md += [f"| {name} | {r['status']} | {r['score']:g} | {r['points_wrongly_awarded']:g} | "
           f"{'; '.join(r['reported'])[:140].replace('|', '/')} |" for name, r in per_attack.items()]
    out.with_suffix(".md").write_text("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
