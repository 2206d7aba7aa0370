"""Errors the user can act on; the CLI prints them without a traceback."""


class CourseError(Exception):
    """Bad input or a broken set-up, with a message that says what to fix."""
