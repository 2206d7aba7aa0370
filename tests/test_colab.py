"""Every lesson and exercise opens on Colab from its badge, and its bootstrap cell installs the course there.

The badge and the bootstrap are generated (course.colab) from the repository and branch in
syllabus.toml; `course colab --check` fails when a notebook's copy is stale. Outside Colab the
bootstrap does nothing; "on Colab" (a fake ``google.colab`` imported at kernel start) it
installs the course package, offline here, from a copy of this checkout into a throwaway
environment, and leaves torch and torchvision as they were.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
from importlib.metadata import version
from pathlib import Path
from types import ModuleType

import nbformat
import pytest
from nbclient import NotebookClient

from course import cli, colab, syllabus
from course.errors import CourseError
from course.notebooks import grade_id, is_answer_cell, is_test_cell, read_notebook

REPO = syllabus.REPO_ROOT


def _opened_notebooks():
    """(notebook, the path its badge must open): lessons, nbgrader sources and their releases."""
    out = [(p, p.relative_to(REPO).as_posix()) for p in sorted((REPO / "lessons").glob("*.ipynb"))]
    for d in syllabus.days():
        release = d.exercise_path.relative_to(REPO).as_posix()
        out += [(d.exercise_path, release), (d.solution_path, release)]
    return [pytest.param(p, target, id=p.relative_to(REPO).as_posix()) for p, target in out]


def _expected_badge_url(target: str) -> str:
    repo_url = syllabus.repository()
    assert repo_url.startswith("https://github.com/"), repo_url
    slug = repo_url.removeprefix("https://github.com/").removesuffix(".git").strip("/")
    return f"https://colab.research.google.com/github/{slug}/blob/{syllabus.branch()}/{target}"


@pytest.mark.parametrize("path, target", _opened_notebooks())
def test_notebook_starts_with_badge_and_bootstrap(path, target):
    cells = read_notebook(path).cells
    badge, boot = cells[0], cells[1]
    assert badge.cell_type == "markdown" and colab.generated(badge) == colab.BADGE, f"{path}: no badge on top"
    url = _expected_badge_url(target)
    assert badge.source == f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({url})"
    assert boot.cell_type == "code" and colab.generated(boot) == colab.BOOTSTRAP, f"{path}: no bootstrap cell"
    assert boot.source == colab.bootstrap_source() and not boot.outputs and boot.execution_count is None
    assert f'"course @ git+{syllabus.repository()}@{syllabus.branch()}"' in boot.source
    assert [colab.generated(c) for c in cells if colab.generated(c)] == [colab.BADGE, colab.BOOTSTRAP], \
        "generated cells must not be duplicated"


def test_colab_check_passes_on_the_repository(capsys):
    assert cli.main(["colab", "--check"]) == 0, capsys.readouterr()
    assert "up to date" in capsys.readouterr().out


def test_repository_url_is_configured_only_in_the_syllabus():
    url, slug = syllabus.repository(), colab.github_slug()
    for py in (REPO / "course").rglob("*.py"):
        text = py.read_text(encoding="utf-8")
        assert url not in text and slug not in text, f"{py} hard-codes the repository; use syllabus.repository()"


def test_github_slug():
    assert colab.github_slug("https://github.com/a-b/c.d.git") == "a-b/c.d"
    assert colab.github_slug("https://github.com/owner/repo/") == "owner/repo"
    with pytest.raises(CourseError, match="expected https://github.com/OWNER/REPO"):
        colab.github_slug("https://gitlab.com/owner/repo")


def test_check_names_stale_notebooks_and_sync_repairs_them(tmp_path, monkeypatch, capsys):
    for folder in ("lessons", "solutions"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    lesson = sorted((tmp_path / "lessons").glob("*.ipynb"))[0]
    nb = nbformat.read(lesson, as_version=4)
    nb.cells = [c for c in nb.cells if colab.generated(c) != colab.BADGE]  # badge removed
    nbformat.write(nb, lesson)
    source = tmp_path / "solutions" / "day02" / "day02.ipynb"
    nb = nbformat.read(source, as_version=4)
    nb.cells[0].source = nb.cells[0].source.replace("/main/", "/old-branch/")  # stale URL
    nb.cells.append(nbformat.from_dict(json.loads(json.dumps(nb.cells[1]))))  # a second bootstrap
    nb.cells[-1].id = "copy"
    nbformat.write(nb, source)
    stale_text = {p: p.read_text() for p in (lesson, source)}

    assert colab.sync(tmp_path, check=True) == [lesson, source]
    assert {p: p.read_text() for p in (lesson, source)} == stale_text, "--check must not write"
    monkeypatch.setattr(syllabus, "REPO_ROOT", tmp_path)
    assert cli.main(["colab", "--check"]) == 1
    out = capsys.readouterr().out
    assert f"out of date: lessons/{lesson.name}" in out and "out of date: solutions/day02/day02.ipynb" in out
    assert "day01.ipynb" not in out

    assert cli.main(["colab"]) == 0
    assert cli.main(["colab", "--check"]) == 0
    for path in (lesson, source):  # repaired to exactly the committed notebook
        assert path.read_bytes() == (REPO / path.relative_to(tmp_path)).read_bytes()


def test_changing_the_configured_repository_makes_every_notebook_stale(monkeypatch):
    monkeypatch.setattr(syllabus, "repository", lambda: "https://github.com/someone/fork")
    assert colab.colab_url("lessons/x.ipynb") == \
        "https://colab.research.google.com/github/someone/fork/blob/main/lessons/x.ipynb"
    assert len(colab.sync(check=True)) == len(colab.notebooks())
    assert "git+https://github.com/someone/fork@main" in colab.bootstrap_source()


def test_reserved_cell_ids_are_refused():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1", id=colab.BOOTSTRAP)])
    with pytest.raises(CourseError, match="reserved"):
        colab.with_colab_cells(nb, "lessons/x.ipynb")


# --- the bootstrap itself -------------------------------------------------------------------


def _forbid_processes(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"the bootstrap started a process outside Colab: {args}")
    for name in ("run", "Popen", "call", "check_call", "check_output"):
        monkeypatch.setattr(subprocess, name, refuse)


def test_bootstrap_does_nothing_outside_colab(monkeypatch, capsys):
    assert "google.colab" not in sys.modules
    monkeypatch.setenv("COURSE_PIP_SOURCE", "/nonexistent")
    _forbid_processes(monkeypatch)
    exec(compile(colab.bootstrap_source(), "bootstrap", "exec"), {})
    assert capsys.readouterr() == ("", "")


def test_bootstrap_in_a_plain_kernel_has_no_output(tmp_path):
    nb = colab.with_colab_cells(nbformat.v4.new_notebook(), "lessons/x.ipynb")
    NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert [c.outputs for c in nb.cells if c.cell_type == "code"] == [[]]


def test_bootstrap_on_colab_pins_torch_and_installs_from_the_configured_repository(monkeypatch):
    """What the cell asks pip for on real Colab (recorded, not run)."""
    calls = []

    def record(cmd, check=False, **kwargs):
        keep = Path(cmd[cmd.index("--constraint") + 1])
        calls.append((cmd, keep.read_text()))
        return subprocess.CompletedProcess(cmd, 0)

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "course" else find_spec(name, *a))
    monkeypatch.setitem(sys.modules, "google.colab", ModuleType("google.colab"))
    monkeypatch.delenv("COURSE_PIP_SOURCE", raising=False)
    monkeypatch.setattr(subprocess, "run", record)
    exec(compile(colab.bootstrap_source(), "bootstrap", "exec"), {})

    pins = f"torch=={version('torch')}\ntorchvision=={version('torchvision')}\n"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--constraint"]
    assert [cmd[:6] for cmd, _ in calls] == [pip, pip] and [k for _, k in calls] == [pins, pins]
    assert calls[0][0][7:] == [f"course @ git+{syllabus.repository()}@{syllabus.branch()}"]
    assert calls[1][0][7:] == ["--no-deps", "animal-mnist==0.4"]
    for cmd, _ in calls:
        assert not {"-U", "--upgrade", "--force-reinstall", "--ignore-installed"} & set(cmd), cmd


@pytest.mark.slow
def test_bootstrap_installs_the_course_on_colab_and_keeps_torch(tmp_path, monkeypatch):
    """A fresh environment sees this project's packages (torch...) but not `course`; after the bootstrap Day 1 runs."""
    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = str(env / "bin" / "python")
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    # a plain path line: the project's packages are importable, its editable `course` finder is not run
    (site / "project-packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    fake = tmp_path / "fake-colab"
    (fake / "google" / "colab").mkdir(parents=True)
    (fake / "google" / "colab" / "__init__.py").write_text('"""Stands in for Colab\'s module in tests."""\n')
    checkout = tmp_path / "checkout"  # what pip would clone: the package as it is in this working tree
    shutil.copytree(REPO / "course", checkout / "course", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, checkout / name)
    kernel_env = {"PYTHONPATH": str(fake), "PIP_NO_INDEX": "1",  # offline: nothing may be downloaded
                  "COURSE_PIP_SOURCE": f"--no-index --no-build-isolation {shlex.quote(str(checkout))}"}

    probe = ("import importlib.util as u, importlib.metadata as m, json; "
             "print(json.dumps({p: [m.version(p), u.find_spec(p).origin] for p in ('torch', 'torchvision')}))")
    run = dict(cwd=tmp_path, capture_output=True, text=True, env={**_clean_env(), **kernel_env})
    before = subprocess.run([python, "-c", "import course"], **run)
    assert before.returncode != 0 and "No module named 'course'" in before.stderr, before
    torch_before = json.loads(subprocess.run([python, "-c", probe], check=True, **run).stdout)

    spec = tmp_path / "kernels" / "colab-sim"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 "--IPKernelApp.exec_lines=import google.colab"],  # Colab's kernel imports it at start
        "display_name": "Colab (simulated)", "language": "python", "env": kernel_env}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))

    nb = read_notebook(syllabus.get_day("day01").exercise_path)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import course, course.data, course.checks, sys\nprint(course.__file__)\n" + probe.replace("; ", "\n")))
    nb.cells.append(nbformat.v4.new_code_cell(colab.bootstrap_source()))  # run again: installed, so nothing
    NotebookClient(nb, timeout=120, kernel_name="colab-sim", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()

    def errors(cell):
        return [f"{o.ename}: {o.evalue}" for o in cell.get("outputs", []) if o.output_type == "error"]

    def text(cell):
        return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream")

    boot, check, again = nb.cells[1], nb.cells[-2], nb.cells[-1]
    assert not errors(boot) and "Installing the course package" in text(boot), boot.outputs
    for cell in nb.cells:  # unanswered items fail as the release is meant to; nothing else may
        graded = is_answer_cell(cell) or is_test_cell(cell)
        unexpected = [e for e in errors(cell) if not (graded and e.startswith(("NotImplementedError", "NameError")))]
        assert not unexpected, (grade_id(cell) or cell.get("id"), unexpected)
    installed_at, torch_after = text(check).splitlines()
    assert Path(installed_at).is_relative_to(site), installed_at
    assert json.loads(torch_after) == torch_before, "torch / torchvision were replaced"
    added = sorted(p.name for p in site.iterdir() if p.name != "project-packages.pth")
    assert len(added) == 2 and added[0] == "course" and added[1].startswith("course-") \
        and added[1].endswith(".dist-info"), f"pip installed more than the course package: {added}"
    assert again.outputs == []


def _clean_env() -> dict:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COURSE_PIP_SOURCE", "VIRTUAL_ENV")}
