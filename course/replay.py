"""nbgrader preprocessor: put outputs computed earlier (by a grading worker) into the notebook.

Grading runs in two steps so that nbgrader's SQLite gradebook has one writer:
workers execute submissions in parallel (``SafeExecute``, each with a private
copy of the gradebook), then one process runs nbgrader's ``Autograde`` again
with ``ReplayExecution`` in place of execution, so that nbgrader's own
``SaveAutoGrades`` records every score in the real gradebook.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from .safe_execute import METADATA_KEY


class ReplayError(Exception):
    pass


class ReplayExecution(NbGraderPreprocessor):
    executed_directory = Unicode("", help="folder with STUDENT/ASSIGNMENT/NOTEBOOK.ipynb as executed by the workers"
                                 ).tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        path = Path(self.executed_directory) / info["student"] / info["assignment"] / f"{info['notebook']}.ipynb"
        if not path.is_file():
            raise ReplayError(f"no executed copy of {info['notebook']} for {info['student']}: its worker failed")
        executed = nbformat.read(str(path), as_version=4)
        if len(executed.cells) != len(nb.cells):
            raise ReplayError(f"{path}: {len(executed.cells)} cells, expected {len(nb.cells)}")
        for index, (cell, done) in enumerate(zip(nb.cells, executed.cells)):
            if cell.cell_type != done.cell_type or cell.source != done.source:
                raise ReplayError(f"{path}: cell {index + 1} differs from the sanitized submission")
            if cell.cell_type == "code":
                cell.outputs = done.outputs
                cell.execution_count = done.execution_count
        for key in ("language_info", METADATA_KEY):
            if key in executed.metadata:
                nb.metadata[key] = executed.metadata[key]
        return nb, resources
