"""The answers the graded tests are tested with (tests/mutants/, tests/alternatives/) load and compile.

Checked here, in a second, rather than deep inside a graded batch: an edit-style variant whose
reference lines are gone (the reference answer changed) fails by name.
"""

from __future__ import annotations

import re

import pytest

from course import syllabus
from factory import edited_reference, variants


@pytest.mark.parametrize("kind", ["mutants", "alternatives"])
@pytest.mark.parametrize("day", syllabus.days(), ids=lambda d: d.id)
def test_every_variant_is_python_for_one_of_the_days_items(kind, day):
    for name, (item, source) in variants(kind, day).items():
        compile(source, f"tests/{kind}/{day.id}/{name}.py", "exec")


REFERENCE = "def f(x):\n    y = x + 1\n    return y\n"


def test_an_edit_replaces_the_reference_lines_it_names():
    edits = "# the reference, but off by one more\n# --- reference\n    y = x + 1\n# +++ variant\n    y = x + 2\n"
    assert edited_reference(REFERENCE, edits, "t") == "def f(x):\n    y = x + 2\n    return y\n"


@pytest.mark.parametrize("edits, says", [
    ("# --- reference\n    y = x - 1\n# +++ variant\n    y = 0\n", "holds 0 copies"),
    ("# --- reference\n    y = x + 1\n", "without its '# +++ variant'"),
    ("    y = x + 2\n", "no '# --- reference'"),
])
def test_an_edit_that_no_longer_fits_fails_by_name(edits, says):
    with pytest.raises(AssertionError, match=re.escape(says)):
        edited_reference(REFERENCE, edits, "tests/mutants/day00/f__x.py")
