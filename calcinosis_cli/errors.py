"""Errors the user can fix, and their exit codes: 0 success, 1 data error, 2 usage error.

Core modules raise these (they import nothing of click); ``cli.main`` is the one place that
turns an exception into a line on stderr and an exit code. A command never translates an
exception by hand.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class CalcinosisError(Exception):
    """A problem the user can fix, shown as one line. Its class says which exit code it gets."""

    exit_code = EXIT_DATA


class UsageError(CalcinosisError, ValueError):
    """A bad argument: an unknown filter value, column, format, id, path or option value."""

    exit_code = EXIT_USAGE


class DataError(CalcinosisError):
    """A dataset (or other input file) whose content is wrong; ``problems`` lists them all."""

    exit_code = EXIT_DATA

    def __init__(self, message: str, problems: tuple = ()):
        super().__init__(message)
        self.problems = tuple(problems)


class OutputError(CalcinosisError):
    """Output that cannot be written as asked (a narrow encoding, an existing file, no folder)."""

    exit_code = EXIT_DATA


class MissingExtra(CalcinosisError):
    """An optional dependency (an extra such as calcinosis[plot]) is not installed."""

    exit_code = EXIT_DATA
