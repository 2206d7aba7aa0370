"""Interactive explorers for the lessons (ipywidgets + matplotlib).

:mod:`course.widgets.state` holds the pure-Python logic (which window, which
numbers, which output cell), separate from drawing, so that it can be tested
against torch.
"""
