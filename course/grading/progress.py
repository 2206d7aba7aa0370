"""The grading progress bar: one tick per submission, its outcome on a line of its own."""

from __future__ import annotations

import contextlib

from tqdm import tqdm


class _Bar:
    def __init__(self, bar: tqdm | None):
        self.bar = bar

    def write(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text)

    def graded(self, sub, outcome) -> None:
        """One submission done, graded or failed (sub: submission.Submission, outcome: parallel.Outcome)."""
        if self.bar is None:
            return
        status = f"FAILED: {outcome.error}" if outcome.error else "graded"
        self.bar.write(f"{sub.day.id} {sub.student}: {status} ({outcome.seconds:.1f} s)")
        self.bar.update(1)


@contextlib.contextmanager
def progress_bar(total: int, enabled: bool):
    if not enabled:
        yield _Bar(None)
        return
    with tqdm(total=total, unit="submission", desc="grading", dynamic_ncols=True) as bar:
        yield _Bar(bar)
