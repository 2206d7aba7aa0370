import json

import pytest

from course.cli import main
from course.errors import CourseError
from course.notebooks import read_notebook


def test_missing_file(tmp_path):
    with pytest.raises(CourseError, match="no such file"):
        read_notebook(tmp_path / "nope.ipynb")


def test_folder_is_not_a_notebook(tmp_path):
    with pytest.raises(CourseError, match="is a folder"):
        read_notebook(tmp_path)


def test_wrong_suffix(tmp_path):
    path = tmp_path / "answers.py"
    path.write_text("print(1)")
    with pytest.raises(CourseError, match=r"answers.py: not a notebook"):
        read_notebook(path)


def test_invalid_json_names_file_and_line(tmp_path):
    path = tmp_path / "day01.ipynb"
    path.write_text('{"cells": [\n  {"cell_type": "code",,}\n')
    with pytest.raises(CourseError, match=r"day01.ipynb: not valid JSON \(line 2"):
        read_notebook(path)


def test_json_that_is_not_a_notebook(tmp_path):
    path = tmp_path / "day01.ipynb"
    path.write_text(json.dumps({"hello": "world"}))
    with pytest.raises(CourseError, match="not a valid Jupyter notebook"):
        read_notebook(path)


def test_cli_check_reports_a_bad_path_with_exit_2(tmp_path, capsys):
    assert main(["check", str(tmp_path / "missing.ipynb")]) == 2
    err = capsys.readouterr().err
    assert "course check: error:" in err and "missing.ipynb: no such file" in err


def test_cli_check_reports_corrupt_json(tmp_path, capsys):
    path = tmp_path / "day01.ipynb"
    path.write_text("{ not json")
    assert main(["check", str(path)]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_cli_build_unknown_day(capsys):
    assert main(["build", "day42"]) == 2
    assert "unknown day 'day42'" in capsys.readouterr().err


def test_cli_grade_missing_folder(tmp_path, capsys):
    assert main(["grade", str(tmp_path / "nothing")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_cli_grade_unknown_day(tmp_path, capsys):
    (tmp_path / "ada" / "day01").mkdir(parents=True)
    assert main(["grade", str(tmp_path), "--day", "day77"]) == 2
    assert "unknown day 'day77'" in capsys.readouterr().err


def test_cli_grade_empty_folder(tmp_path, capsys):
    assert main(["grade", str(tmp_path)]) == 2
    assert "no student folders" in capsys.readouterr().err
