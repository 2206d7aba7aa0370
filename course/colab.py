"""The "Open in Colab" badge and the bootstrap cell at the top of every lesson and exercise.

Both cells are generated from ``repository`` and ``branch`` in ``syllabus.toml`` and marked
in their metadata (``{"course": {"generated": "colab-badge" | "colab-bootstrap"}}``), so
:func:`sync` (``course colab``) replaces them instead of adding more, and ``course colab
--check`` names the notebooks whose cells are missing or stale.

The badge opens the notebook students use: a lesson's own path, and for an nbgrader source
(``solutions/dayNN/dayNN.ipynb``) the release ``exercises/dayNN/dayNN.ipynb``, since nbgrader
copies the source's cells into the release. The bootstrap installs the course package on
Colab and does nothing anywhere else; it is plain standard-library code, because on Colab
the package it installs is not there yet when it runs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat

from . import syllabus
from .errors import CourseError
from .notebooks import read_notebook

BADGE = "colab-badge"
BOOTSTRAP = "colab-bootstrap"
BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
# animal-mnist's metadata pulls in TensorFlow, which the course never imports (see the Makefile)
ANIMALS = "animal-mnist==0.4"

_BOOTSTRAP = '''\
# On Colab: install the course package and its animal images from GitHub, keeping Colab's
# own torch and torchvision. Anywhere else (JupyterLab, grading) this cell does nothing.
import sys

if "google.colab" in sys.modules:
    import importlib.util, os, shlex, subprocess, tempfile
    from importlib.metadata import version

    if importlib.util.find_spec("course") is None:
        print("Installing the course package (about a minute)...")
        keep = os.path.join(tempfile.mkdtemp(), "keep-torch.txt")  # pins the torch Colab has
        with open(keep, "w") as f:
            f.write(f"torch=={{version('torch')}}\\ntorchvision=={{version('torchvision')}}\\n")
        pip = [sys.executable, "-m", "pip", "install", "--quiet", "--constraint", keep]
        source = [{spec}]
        if os.environ.get("COURSE_PIP_SOURCE"):  # tests install a local checkout instead
            source = shlex.split(os.environ["COURSE_PIP_SOURCE"])  # (path and pip options)
        subprocess.run(pip + source, check=True)
        subprocess.run(pip + ["--no-deps", {animals}], check=True)  # its metadata pulls in TensorFlow
        importlib.invalidate_caches()
'''


def github_slug(url: str | None = None) -> str:
    """``OWNER/REPO`` of a ``https://github.com/OWNER/REPO`` URL (default: the configured one)."""
    url = syllabus.repository() if url is None else url
    m = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?", url.strip())
    if not m:
        raise CourseError(f"repository {url!r} in syllabus.toml: expected https://github.com/OWNER/REPO")
    return f"{m.group(1)}/{m.group(2)}"


def pip_spec() -> str:
    """What the bootstrap asks pip for: the course package at the configured branch."""
    return f"course @ git+{syllabus.repository().strip().rstrip('/')}@{syllabus.branch()}"


def colab_url(target: str | Path) -> str:
    """The Colab address that opens ``target`` (a path relative to the repository root)."""
    path = Path(target).as_posix().lstrip("/")
    return f"https://colab.research.google.com/github/{github_slug()}/blob/{syllabus.branch()}/{path}"


def badge_cell(target: str | Path) -> nbformat.NotebookNode:
    source = f"[![Open In Colab]({BADGE_IMAGE})]({colab_url(target)})"
    return nbformat.v4.new_markdown_cell(source, id=BADGE, metadata={"course": {"generated": BADGE}})


def bootstrap_source() -> str:
    return _BOOTSTRAP.format(spec=json.dumps(pip_spec()), animals=json.dumps(ANIMALS)).rstrip("\n")


def bootstrap_cell() -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(bootstrap_source(), id=BOOTSTRAP, metadata={"course": {"generated": BOOTSTRAP}})


def generated(cell) -> str | None:
    """``"colab-badge"`` / ``"colab-bootstrap"`` for the generated cells, else None."""
    mark = (cell.get("metadata", {}).get("course") or {}).get("generated")
    return mark if mark in (BADGE, BOOTSTRAP) else None


def with_colab_cells(nb: nbformat.NotebookNode, target: str | Path) -> nbformat.NotebookNode:
    """A copy of ``nb`` that starts with the current badge (opening ``target``) and bootstrap.

    Earlier generated cells are dropped wherever they are; every other cell is kept as it is.
    """
    new = nbformat.from_dict(json.loads(json.dumps(nb)))
    rest = [c for c in new.cells if not generated(c)]
    clash = [c.get("id") for c in rest if c.get("id") in (BADGE, BOOTSTRAP)]
    if clash:
        raise CourseError(f"cell id {clash[0]!r} is reserved for the generated Colab cells: rename that cell")
    new.cells = [badge_cell(target), bootstrap_cell(), *rest]
    return new


def notebooks(root: str | Path | None = None) -> list[tuple[Path, str]]:
    """(notebook file, path that students open) for every lesson and every day's nbgrader source."""
    root = Path(root or syllabus.REPO_ROOT)
    lessons = {p.relative_to(root).as_posix() for p in (root / "lessons").glob("*.ipynb")}
    lessons |= {d.lesson for d in syllabus.days()}
    out = [(root / rel, rel) for rel in sorted(lessons)]
    for d in syllabus.days():
        out.append((root / "solutions" / d.id / d.notebook, f"exercises/{d.id}/{d.notebook}"))
    return out


def sync(root: str | Path | None = None, check: bool = False) -> list[Path]:
    """Bring every notebook's Colab cells up to date; return those that were (or, with ``check``, are) stale.

    Up-to-date notebooks are not rewritten. Solutions changed here reach ``exercises/`` with ``course build``.
    """
    stale = []
    for path, target in notebooks(root):
        nb = read_notebook(path)
        new = with_colab_cells(nb, target)
        if new == nb:
            continue
        stale.append(path)
        if not check:
            nbformat.write(new, str(path))
    return stale
