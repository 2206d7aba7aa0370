"""The grading service's bookkeeping: which arrivals it grades, which wait, and what survives a crash."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timezone

import pytest

from course import syllabus
from course.hub import service
from course.hub.service import Arrival, Ledger, Record

ON = next(d for d in syllabus.days() if d.feedback_on_submit)
OFF = next(d for d in syllabus.days() if not d.feedback_on_submit)


def arrival(student: str, minute: int, day=ON) -> Arrival:
    return Arrival(student, day.id, f"2026-12-05 10:{minute:02d}:00.000000 UTC")


def test_syllabus_turns_feedback_on_submit_on_for_some_days_with_attempts():
    assert ON.graded_attempts >= 1, f"{ON.id} is graded on arrival with no graded attempt"
    assert all(d.graded_attempts == 0 for d in syllabus.days() if not d.feedback_on_submit)


def test_each_students_newest_arrival_is_graded_and_older_ones_are_superseded(tmp_path):
    ledger = Ledger(tmp_path)
    found = [arrival("ann", 1), arrival("bob", 2), arrival("ann", 3)]
    ready = service.due(ledger, found)
    assert sorted((a.student, a.timestamp) for a in ready) == [("ann", found[2].timestamp), ("bob", found[1].timestamp)]
    assert ledger.records[found[0].name].outcome == "superseded"


def test_days_not_graded_on_arrival_wait_for_the_instructor(tmp_path):
    ledger = Ledger(tmp_path)
    assert service.due(ledger, [arrival("ann", 1, day=OFF)]) == []
    assert ledger.records == {}, "an arrival of a day that is off is left for `course collect`, not recorded"


def test_attempts_beyond_the_limit_are_not_graded(tmp_path):
    ledger = Ledger(tmp_path)
    for k in range(ON.graded_attempts):
        a = arrival("ann", k)
        ledger.add(a, Record("ann", ON.id, "graded", attempt=k + 1, score=1, max_score=2))
    late = arrival("ann", 30)
    assert service.due(ledger, [late]) == []
    assert ledger.records[late.name].outcome == "over limit"
    assert f"all {ON.graded_attempts} graded attempts used" in ledger.records[late.name].reason


def test_failed_attempts_do_not_count(tmp_path):
    ledger = Ledger(tmp_path)
    for k in range(ON.graded_attempts):
        ledger.add(arrival("ann", k), Record("ann", ON.id, "failed", reason="not a notebook"))
    assert ledger.attempts("ann", ON.id) == 0
    assert service.due(ledger, [arrival("ann", 40)]) != []


def test_what_the_instructor_graded_is_left_alone(tmp_path):
    ledger = Ledger(tmp_path)
    old, new = arrival("ann", 1), arrival("ann", 9)
    graded_at = datetime(2026, 12, 5, 10, 5, tzinfo=timezone.utc)
    ready = service.due(ledger, [old], graded=lambda s, d: graded_at)
    assert ready == [] and ledger.records[old.name].outcome == "graded by the instructor"
    assert service.due(ledger, [new], graded=lambda s, d: graded_at) == [new]


def test_the_ledger_survives_a_restart_and_is_never_half_written(tmp_path):
    ledger = Ledger(tmp_path)
    a = arrival("ann", 1)
    ledger.add(a, Record("ann", ON.id, "graded", attempt=1, score=20, max_score=24))
    again = Ledger(tmp_path)
    assert again.records[a.name].score == 20 and again.attempts("ann", ON.id) == 1
    assert service.due(again, [a]) == [], "a graded arrival is graded again after a restart"
    assert json.loads((tmp_path / "graded.json").read_text())[a.name]["outcome"] == "graded"
    assert not list(tmp_path.glob("*.tmp"))


def test_an_ungraded_arrival_is_graded_after_a_crash(tmp_path):
    # the service records an arrival only after its feedback is out: one that was being graded
    # when the service died is still due when it comes back
    ledger = Ledger(tmp_path)
    a = arrival("ann", 1)
    assert service.due(ledger, [a]) == [a]
    assert service.due(Ledger(tmp_path), [a]) == [a]


def test_arrival_times_are_read_as_nbgrader_writes_them():
    a = arrival("ann", 7)
    assert a.when == datetime(2026, 12, 5, 10, 7)
    assert a.name == f"ann+{ON.id}+{a.timestamp}"
    with pytest.raises(Exception):
        replace(a, timestamp="yesterday-ish").when
