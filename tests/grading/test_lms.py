"""LMS files: Canvas and Moodle submission downloads graded by `course grade`, and their grade-import CSVs.

The zips are made here in each LMS's real naming (course.grading.lms documents where the
conventions come from); intake runs without a kernel, and the exports read a gradebook
filled with known scores. One slow test grades a 2-student Canvas zip for real.
"""

from __future__ import annotations

import csv
import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from course import syllabus
from course.cli import main
from course.errors import CourseError
from course.grading import lms, lms_export, workspace
from course.grading.lms_intake import collect_download
from factory import reference_answers, submission

DAY1 = syllabus.get_day("day01")
DAY2 = syllabus.get_day("day02")
CORRECT = nbformat.writes(submission(DAY1, reference_answers(DAY1)))
UNANSWERED = nbformat.writes(submission(DAY1))
DAY2_EXERCISE = nbformat.writes(submission(DAY2))
ROSTER = """id,first_name,last_name,email,lms_user_id
ada,Ada,Lovelace,ada@example.edu,41001
ben,Ben,Okafor,ben@example.edu,41002
cleo,Cleo,Marsh,cleo@example.edu,41003
"""
EXPECTED_PATTERNS = ("expected\n"
                     "  Canvas: LASTFIRST[_LATE]_USERID_FILEID_FILENAME (e.g. lovelaceada_41001_67890_day01.ipynb)\n"
                     "  Moodle: FULL NAME_PARTICIPANT_assignsubmission_file_/FILENAME "
                     "(e.g. Ada Lovelace_123456_assignsubmission_file_/day01.ipynb)")


@pytest.fixture
def roster(tmp_path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER)
    return path


def make_zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def intake(tmp_path, roster, files: dict[str, str], lms_name=None, name="submissions.zip", day="day01"):
    """collect_download of a zip holding ``files``, in a workspace of its own: {student: Submission}."""
    subs = collect_download(make_zip(tmp_path / name, files), day, tmp_path / "ws", lms_name, roster)
    got = {s.student: s for s in subs}
    assert len(got) == len(subs), f"one submission per student, got {[s.student for s in subs]}"
    return got


def collected(tmp_path, student: str, day=DAY1) -> Path:
    return tmp_path / "ws" / "downloaded" / day.id / "collected" / student / day.id / day.notebook


# --------------------------------------------------------------------------- Canvas and Moodle downloads

def test_canvas_download_maps_user_ids_to_the_roster_with_late_and_resubmitted_files(tmp_path, roster):
    got = intake(tmp_path, roster, {
        "lovelaceada_41001_67890_day01.ipynb": CORRECT,
        "okaforben_LATE_41002_67891_day01.ipynb": UNANSWERED,  # uploaded first
        "okaforben_LATE_41002_67895_day01-1.ipynb": CORRECT,  # the same file uploaded again: Canvas adds -1
        "marshcleo_41003_67892_Day 1 (final).ipynb": UNANSWERED,
        "marshcleo_41003_text.html": "<p>see the notebook</p>",  # a text entry has no file id
    })
    assert {s: (g.status, g.notebook) for s, g in got.items()} == {
        "ada": ("pending", collected(tmp_path, "ada")), "ben": ("pending", collected(tmp_path, "ben")),
        "cleo": ("pending", collected(tmp_path, "cleo").with_name("Day 1 (final).ipynb"))}
    assert collected(tmp_path, "ben").read_text() == CORRECT, "the newest copy (-1) is the one graded"
    assert got["ben"].notes == [
        "graded okaforben_LATE_41002_67895_day01-1.ipynb, the last of Canvas's copies of day01.ipynb; "
        "left out: okaforben_LATE_41002_67891_day01.ipynb",
        "Canvas marked it late (okaforben_LATE_41002_67895_day01-1.ipynb); the download has no submission time, "
        "so nbgrader applied no late penalty",
    ]
    assert got["ada"].notes == [], "a plain submission needs no note"
    assert got["cleo"].notes == ["graded Day 1 (final).ipynb as day01.ipynb", "not answered: " + ", ".join(DAY1.items),
                                 "not a notebook, ignored: marshcleo_41003_text.html"]
    assert (tmp_path / "ws" / "downloaded" / "day01" / "archive" / "submissions.zip").is_file(), \
        "ZipCollect's layout: downloaded/DAY/archive, extracted, collected"


def test_moodle_download_maps_folders_by_full_name_and_records_participant_numbers(tmp_path, roster):
    got = intake(tmp_path, roster, {
        "Ada Lovelace_101_assignsubmission_file_/day01.ipynb": CORRECT,
        "Okafor Ben_102_assignsubmission_file_/day01.ipynb": UNANSWERED,  # a site that shows last names first
        "cleo  MARSH_103_assignsubmission_file_day01.ipynb": CORRECT,  # before Moodle 3.1: no folders
        "cleo  MARSH_103_assignsubmission_onlinetext_/onlinetext.html": "<p>done</p>",
    }, lms_name="moodle")
    assert {s: (g.status, g.notebook) for s, g in got.items()} == {
        s: ("pending", collected(tmp_path, s)) for s in ("ada", "ben", "cleo")}
    assert collected(tmp_path, "ben").read_text() == UNANSWERED
    assert got["cleo"].notes == [
        "not a notebook, ignored: cleo  MARSH_103_assignsubmission_onlinetext_/onlinetext.html"]
    participants = tmp_path / "ws" / "moodle_participants.json"
    assert json.loads(participants.read_text()) == {"day01": {"ada": "101", "ben": "102", "cleo": "103"}}

    # another day's download adds its own numbers; the earlier day's stay
    intake(tmp_path, roster, {"Ada Lovelace_201_assignsubmission_file_/day02.ipynb": DAY2_EXERCISE},
           name="day02.zip", day="day02")
    assert json.loads(participants.read_text()) == {"day01": {"ada": "101", "ben": "102", "cleo": "103"},
                                                    "day02": {"ada": "201"}}


def test_the_lms_is_read_from_the_names(tmp_path):
    canvas = ["lovelaceada_41001_67890_day01.ipynb", "okaforben_LATE_41002_67891_day01.ipynb"]
    moodle = ["Ada Lovelace_101_assignsubmission_file_/day01.ipynb"]
    assert lms.detect("x.zip", canvas) is lms.CANVAS
    assert lms.detect("x.zip", moodle) is lms.MOODLE, "Moodle's names would also pass for Canvas's"
    assert lms.resubmitted("day01-12.ipynb") == ("day01.ipynb", 12)
    assert lms.resubmitted("day01.ipynb") == ("day01.ipynb", 0)


# --------------------------------------------------------------------------- bad input

def test_an_unknown_naming_scheme_names_the_first_such_file_and_the_expected_patterns(tmp_path, roster):
    files = {"lovelaceada_41001_67890_day01.ipynb": CORRECT, "ada/day01/day01.ipynb": CORRECT,
             "zz_unknown.ipynb": CORRECT}
    with pytest.raises(CourseError) as err:
        intake(tmp_path, roster, files)
    assert str(err.value) == (f"submissions.zip: ada/day01/day01.ipynb does not follow Canvas's or Moodle's naming "
                              f"of submission downloads; {EXPECTED_PATTERNS}")
    with pytest.raises(CourseError) as err:
        intake(tmp_path, roster, {"lovelaceada_41001_67890_day01.ipynb": CORRECT}, lms_name="moodle")
    assert str(err.value) == (
        "submissions.zip: lovelaceada_41001_67890_day01.ipynb does not follow Moodle's naming of submission "
        "downloads; expected\n  Moodle: FULL NAME_PARTICIPANT_assignsubmission_file_/FILENAME "
        "(e.g. Ada Lovelace_123456_assignsubmission_file_/day01.ipynb)")


@pytest.mark.parametrize("files, message", [
    ({"lovelaceada_41001_67890_day01.ipynb": CORRECT, "Ben Okafor_102_assignsubmission_file_/day01.ipynb": CORRECT},
     "submissions.zip: mixes Canvas and Moodle names (lovelaceada_41001_67890_day01.ipynb and "
     "Ben Okafor_102_assignsubmission_file_/day01.ipynb); grade one LMS download at a time"),
    ({"LATE_anon_x7Ke2_67890_day01.ipynb": CORRECT},
     "submissions.zip: LATE_anon_x7Ke2_67890_day01.ipynb: Canvas anonymized this download (anonymous grading is on), "
     "so its files cannot be matched to the roster; download it after grades are posted"),
    ({"Participant_101_assignsubmission_file_/day01.ipynb": CORRECT},
     "submissions.zip: Participant_101_assignsubmission_file_/day01.ipynb: Moodle hid the students' names "
     "(blind marking); reveal student identities in the assignment, then download again"),
], ids=["mixed", "canvas-anonymous", "moodle-blind"])
def test_names_that_cannot_say_who_handed_in_stop_the_whole_zip(tmp_path, roster, files, message):
    with pytest.raises(CourseError) as err:
        intake(tmp_path, roster, files)
    assert str(err.value) == message


def test_a_student_missing_from_the_roster_fails_alone_naming_the_file(tmp_path, roster):
    got = intake(tmp_path, roster, {"lovelaceada_41001_67890_day01.ipynb": CORRECT,
                                    "hopperg_49999_67891_day01.ipynb": CORRECT})
    assert got["ada"].status == "pending", "the others are graded all the same"
    assert got["hopperg_49999"].status == "failed"
    assert got["hopperg_49999"].error == (
        f"submissions.zip: hopperg_49999_67891_day01.ipynb: Canvas user 49999 (hopperg) is not on the roster "
        f"{roster}: add them (lms_user_id 49999) and grade again")

    got = intake(tmp_path, roster, {"Ada Lovelace_101_assignsubmission_file_/day01.ipynb": CORRECT,
                                    "Grace Hopper_107_assignsubmission_file_/day01.ipynb": CORRECT}, name="m.zip")
    assert got["ada"].status == "pending"
    assert got["Grace Hopper_107"].error == (
        f"m.zip: Grace Hopper_107_assignsubmission_file_/day01.ipynb: no student on the roster {roster} is named "
        "'Grace Hopper' (Moodle participant 107): add them, first_name and last_name as Moodle shows them, "
        "and grade again")
    assert json.loads((tmp_path / "ws" / "moodle_participants.json").read_text()) == {"day01": {"ada": "101"}}


def test_two_notebooks_from_one_student_fail_naming_both(tmp_path, roster):
    got = intake(tmp_path, roster, {"lovelaceada_41001_67890_day01.ipynb": CORRECT,
                                    "lovelaceada_41001_67891_day01_v2.ipynb": UNANSWERED,
                                    "okaforben_41002_67892_day01.ipynb": CORRECT})
    assert got["ben"].status == "pending"
    assert got["ada"].error == (
        "submissions.zip: 2 notebooks from lovelaceada (Canvas user 41001) for day01: "
        "lovelaceada_41001_67890_day01.ipynb, lovelaceada_41001_67891_day01_v2.ipynb; grading one of them would be "
        "a guess: keep one in the LMS and download again, or grade the right one from a folder")
    assert not (tmp_path / "ws" / "downloaded" / "day01" / "collected" / "ada").exists()

    # Moodle: one student's name on two participants' folders
    got = intake(tmp_path, roster, {"Ada Lovelace_101_assignsubmission_file_/day01.ipynb": CORRECT,
                                    "Ada Lovelace_108_assignsubmission_file_/day01.ipynb": UNANSWERED}, name="m.zip")
    assert got["ada"].error == (
        "m.zip: 2 notebooks from Ada Lovelace (Moodle participant 101) for day01: "
        "Ada Lovelace_101_assignsubmission_file_/day01.ipynb, Ada Lovelace_108_assignsubmission_file_/day01.ipynb; "
        "grading one of them would be a guess: keep one in the LMS and download again, or grade the right one "
        "from a folder")
    assert json.loads((tmp_path / "ws" / "moodle_participants.json").read_text()) == {"day01": {}}, \
        "no participant number is recorded where two claim one student"


def test_another_days_notebook_is_named_by_its_file_in_the_zip(tmp_path, roster):
    got = intake(tmp_path, roster, {"lovelaceada_41001_67890_day02.ipynb": DAY2_EXERCISE,
                                    "okaforben_41002_67891_day01.ipynb": CORRECT})
    assert got["ben"].status == "pending"
    assert got["ada"].error == (f"submissions.zip: lovelaceada_41001_67890_day02.ipynb: this is the day02 exercise "
                                f"({DAY2.title}), not day01's: hand it in as ada/day02/day02.ipynb")


def test_a_student_without_a_notebook_fails_naming_what_they_handed_in(tmp_path, roster):
    got = intake(tmp_path, roster, {"lovelaceada_41001_67890_day01.pdf": "%PDF-1.4",
                                    "okaforben_41002_67891_day01.ipynb": CORRECT})
    assert got["ada"].error == ("submissions.zip: no notebook from lovelaceada (Canvas user 41001), only "
                                "lovelaceada_41001_67890_day01.pdf (expected day01.ipynb)")


def _damaged_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("lovelaceada_41001_67890_day01.ipynb", CORRECT)
    data = bytearray(path.read_bytes())
    at = data.index(b'"cells"')
    data[at + 1] ^= 0xFF  # the stored bytes change, their CRC does not
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_text("lovelaceada_41001_67890_day01.ipynb"),
     "{zip}: not a zip file (expected the .zip of Canvas's \"Download Submissions\" or Moodle's "
     "\"Download all submissions\")"),
    (_damaged_zip, "{zip}: the zip is damaged (lovelaceada_41001_67890_day01.ipynb fails its checksum); "
                   "download it again"),
    (lambda p: make_zip(p, {}), "{zip}: the zip holds no files (did the assignment get any submissions?)"),
    (lambda p: make_zip(p, {"__MACOSX/._x": "", "folder/": ""}),
     "{zip}: the zip holds no files (did the assignment get any submissions?)"),
    (lambda p: None, "{zip}: no such file"),
    (lambda p: make_zip(p, {"../lovelaceada_41001_67890_day01.ipynb": CORRECT}),
     "{zip}: ../lovelaceada_41001_67890_day01.ipynb points outside the zip's folder; an LMS never writes such a name"),
], ids=["not-a-zip", "damaged", "empty", "only-junk", "missing", "outside"])
def test_a_bad_zip_is_an_error_naming_it(tmp_path, roster, make, message):
    path = tmp_path / "submissions.zip"
    make(path)
    with pytest.raises(CourseError) as err:
        collect_download(path, "day01", tmp_path / "ws", None, roster)
    assert str(err.value) == message.format(zip=path)
    assert not (tmp_path / "ws").exists(), "nothing is unpacked from a bad zip"


def test_a_zip_needs_its_day_and_the_cli_says_so(tmp_path, roster, capsys):
    path = make_zip(tmp_path / "submissions.zip", {"lovelaceada_41001_67890_day01.ipynb": CORRECT})
    assert main(["grade", str(path), "--roster", str(roster), "--workspace", str(tmp_path / "ws")]) == 2
    assert capsys.readouterr().err == (f"course grade: error: {path}: an LMS download holds one assignment: "
                                       "say which day it is with --day\n")
    assert main(["grade", str(tmp_path), "--lms", "canvas", "--day", "day01"]) == 2, "--lms takes a zip, not a folder"
    assert "a folder, not an LMS download" in capsys.readouterr().err


# --------------------------------------------------------------------------- exports

def fill_gradebook(ws: Path) -> None:
    """day01 (max 6 points in two test cells): ada 6, ben 3.5 less a late penalty of 1, dev 2 (not on the roster);
    cleo has no submission; day02 was never graded."""
    cfg = workspace.load_config(workspace.prepare(ws))
    with Gradebook(f"sqlite:///{workspace.gradebook_path(cfg)}", syllabus.course_id()) as gb:
        gb.add_assignment("day01")
        gb.add_notebook("day01", "day01")
        gb.add_grade_cell("test_a", "day01", "day01", max_score=4, cell_type="code")
        gb.add_grade_cell("test_b", "day01", "day01", max_score=2, cell_type="code")
        for student, (a, b), penalty in (("ada", (4, 2), 0), ("ben", (3, 0.5), 1), ("dev", (1, 1), 0)):
            gb.add_student(student)
            gb.add_submission("day01", student)
            nb = gb.find_submission_notebook("day01", "day01", student)
            for g in nb.grades:
                g.auto_score = a if g.name == "test_a" else b
            nb.late_submission_penalty = penalty
        gb.db.commit()


def read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


@pytest.mark.filterwarnings("ignore:.*not in session")  # nbgrader 0.9's own session handling under SQLAlchemy 2
def test_canvas_export_has_canvas_columns_ids_and_day_totals(tmp_path, roster):
    ws = tmp_path / "ws"
    fill_gradebook(ws)
    (tmp_path / "r.csv").write_text(ROSTER.replace("cleo@example.edu,41003", "cleo@example.edu,"))
    result = lms_export.export("canvas", ["day01", "2"], ws, roster_path=tmp_path / "r.csv",
                               canvas_ids={"1": "555"})
    assert result.files == [ws / "canvas_grades.csv"]
    assert read_csv(ws / "canvas_grades.csv") == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Day 1: Convolution layers (555)",
         "Day 2: Pooling and building a CNN"],
        ["    Points Possible", "", "", "", "", "6", ""],
        ["Lovelace, Ada", "41001", "", "", "", "6", ""],
        ["Marsh, Cleo", "", "", "", "", "", ""],
        ["Okafor, Ben", "41002", "", "", "", "2.5", ""],
    ], "ben: 3.5 less the late penalty; cleo (no submission) and day02 (never graded): empty, not 0"
    assert result.notes == ["never graded, so its grades are empty: day02",
                            "graded but not on the roster, so not exported: dev",
                            "no lms_user_id on the roster for cleo: Canvas will look them up by name"]


@pytest.mark.filterwarnings("ignore:.*not in session")
def test_moodle_export_is_the_grading_worksheet_by_participant_number(tmp_path, roster):
    ws = tmp_path / "ws"
    fill_gradebook(ws)
    lms.record_participants(ws, "day01", {"ada": "101", "ben": "102", "cleo": "103"})
    now = datetime(2026, 3, 4, 5, 6, 7, tzinfo=timezone.utc)
    result = lms_export.export("moodle", ["day01"], ws, out=tmp_path / "day01.csv", roster_path=roster, now=now)
    assert result.files == [tmp_path / "day01.csv"]
    assert read_csv(tmp_path / "day01.csv") == [
        ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum grade", "Grade can be changed",
         "Last modified (submission)", "Last modified (grade)", "Feedback comments"],
        ["Participant 101", "Ada Lovelace", "ada@example.edu", "Submitted for grading", "6.00", "6.00", "Yes", "-",
         "2026-03-04T05:06:07+00:00", "Autograded: 6 of 6 points"],
        ["Participant 103", "Cleo Marsh", "cleo@example.edu", "Submitted for grading", "", "6.00", "Yes", "-", "-", ""],
        ["Participant 102", "Ben Okafor", "ben@example.edu", "Submitted for grading", "2.50", "6.00", "Yes", "-",
         "2026-03-04T05:06:07+00:00", "Autograded: 2.5 of 6 points (late penalty: 1)"],
    ]
    assert result.notes == ["graded but not on the roster, so not exported: dev"]


@pytest.mark.filterwarnings("ignore:.*not in session")
def test_moodle_export_needs_participant_numbers_and_one_file_per_day(tmp_path, roster):
    ws = tmp_path / "ws"
    fill_gradebook(ws)
    lms.record_participants(ws, "day01", {"ada": "101"})
    with pytest.raises(CourseError) as err:
        lms_export.export("moodle", ["day01", "day02"], ws, out=tmp_path / "grades.csv", roster_path=roster)
    assert str(err.value) == (f"{tmp_path / 'grades.csv'}: Moodle takes one worksheet per assignment, so 2 days make "
                              "2 files: put {day} in --out (e.g. moodle_{day}.csv)")
    with pytest.raises(CourseError) as err:
        lms_export.export("moodle", ["day01", "day02"], ws, out=tmp_path / "{day}.csv", roster_path=roster)
    assert str(err.value) == (f"{ws / 'moodle_participants.json'}: no Moodle participant numbers for day02, and "
                              "Moodle's worksheet matches rows by them: grade day02's Moodle download first "
                              "(course grade ZIP --day day02)")
    result = lms_export.export("moodle", ["day01"], ws, roster_path=roster)
    assert result.files == [ws / "moodle_grades_day01.csv"]
    assert [row[0] for row in read_csv(result.files[0])] == ["Identifier", "Participant 101"]
    assert result.notes[1:] == ["day01: not in its Moodle download, so no row (Moodle matches rows by participant "
                                "number): ben, cleo"]


@pytest.mark.filterwarnings("ignore:.*not in session")
def test_export_cli(tmp_path, roster, capsys):
    ws = tmp_path / "ws"
    fill_gradebook(ws)
    out = tmp_path / "canvas.csv"
    assert main(["export", "--lms", "canvas", "day01", "--workspace", str(ws), "--roster", str(roster),
                 "--out", str(out), "--assignment-id", "day01=555"]) == 0
    assert capsys.readouterr().out == (f"wrote {out}\nnote: graded but not on the roster, so not exported: dev\n")
    assert read_csv(out)[0][5] == "Day 1: Convolution layers (555)"
    assert main(["export", "--lms", "canvas", "day01", "--workspace", str(ws), "--assignment-id", "555"]) == 2
    assert "--assignment-id 555: expected DAY=ID, e.g. day01=12345" in capsys.readouterr().err


# --------------------------------------------------------------------------- end to end

@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:.*not in session")
def test_course_grade_grades_a_canvas_zip_and_exports_it(tmp_path, roster, capsys):
    zip_path = make_zip(tmp_path / "submissions.zip", {"lovelaceada_41001_67890_day01.ipynb": CORRECT,
                                                      "okaforben_LATE_41002_67891_day01.ipynb": UNANSWERED})
    ws = tmp_path / "ws"
    assert main(["grade", str(zip_path), "--day", "1", "--workspace", str(ws), "--roster", str(roster),
                 "--no-progress"]) == 0
    table = capsys.readouterr().out
    assert "  ben: Canvas marked it late (okaforben_LATE_41002_67891_day01.ipynb)" in table
    assert main(["export", "--lms", "canvas", "day01", "--workspace", str(ws), "--roster", str(roster)]) == 0
    rows = read_csv(ws / "canvas_grades.csv")
    most = rows[1][5]
    assert float(most) > 0, rows[1]
    assert rows[2:] == [["Lovelace, Ada", "41001", "", "", "", most],
                        ["Marsh, Cleo", "41003", "", "", "", ""],
                        ["Okafor, Ben", "41002", "", "", "", "0"]], \
        "the reference solution gets every point, the unanswered release none, cleo handed in nothing"
