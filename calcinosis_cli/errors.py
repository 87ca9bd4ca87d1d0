"""Errors the user can fix, their exit codes, and the one collector of problems.

Exit codes: 0 success, 1 data error, 2 usage error (130 interrupted). Library packages raise
these (they import nothing of click); ``cli.main`` is the one place that turns an exception
into a line on stderr and an exit code. A command never translates an exception by hand.

Every reader reports every problem of its input at once, each at the place the user can open
(``file:line:column``, or ``file: row 4, column n`` for a sheet): a :class:`Problems`
collects them, in the manner of pypa/packaging's ``_ErrorCollector``, and ``finalize()``
raises them together as one :class:`DataError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def printable(text: str) -> str:
    """``text`` with control characters as escapes, so that a message stays one line."""
    return re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", text)


def plural(number: int, singular: str, plural_form: str | None = None) -> str:
    """``1 problem``, ``2 problems``; ``plural_form`` where adding s is wrong (``2 studies``)."""
    return f"{number} {singular if number == 1 else plural_form or singular + 's'}"


class Problem(NamedTuple):
    """One thing wrong with an input: its file, the place in it, and what.

    ``where`` names the place in the input's own terms where lines and columns mean nothing
    to the user ("row 4, column n" of a sheet, "record 3 (Smith 2024), PY" of a RIS file);
    ``line`` and ``column`` still order the problems.
    """

    path: str
    line: int | None
    column: int | None
    message: str
    where: str | None = None

    def __str__(self) -> str:
        path = printable(self.path)
        if not path:
            return self.message
        if self.where:
            return f"{path}: {self.where}: {self.message}"
        if self.line is None:
            return f"{path}: {self.message}"
        return f"{path}:{self.line}:{self.column}: {self.message}"


class Problems:
    """Collects every problem found, to report them all at once rather than the first."""

    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        self._found: list[Problem] = list(problems)

    def add(self, path: str, line: int | None, column: int | None, message: str, where: str | None = None) -> None:
        self._found.append(Problem(path, line, column, message, where))

    def at(self, path: str, node: object, message: str) -> None:
        """A problem at a node of a positioned tree (anything with ``line`` and ``column``)."""
        self.add(path, getattr(node, "line", None), getattr(node, "column", None), message)

    def extend(self, problems: Iterable[Problem]) -> None:
        self._found.extend(problems)

    def sort(self, order: dict[str, int] | None = None) -> None:
        """In reading order: by file (in ``order``, else by name), then line and column."""

        def key(p: Problem) -> tuple:
            return (order.get(p.path, -1) if order is not None else p.path, p.line or 0, p.column or 0)

        self._found.sort(key=key)

    def finalize(self) -> None:
        """Raise every problem collected as one DataError; nothing when there is none."""
        if self._found:
            raise DataError(self._found)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._found)

    def __len__(self) -> int:
        return len(self._found)

    def __bool__(self) -> bool:
        return bool(self._found)


class CalcinosisError(Exception):
    """A problem the user can fix, shown as one line. Its class says which exit code it gets."""

    exit_code = EXIT_DATA


class UsageError(CalcinosisError, ValueError):
    """A bad argument: an unknown filter value, column, format, id, path or option value."""

    exit_code = EXIT_USAGE


class QueryError(UsageError):
    """A filter, column, sort key or id that does not fit the data (a usage error)."""


VALIDATE_HINT = "run 'calcinosis validate' to list them"


class DataError(CalcinosisError):
    """An input whose content is wrong; ``problems`` lists them all.

    Made from a message, or from the problems themselves: then its one line is the first
    problem and how many more there are.
    """

    exit_code = EXIT_DATA

    def __init__(self, message: str | Iterable[Problem], problems: Iterable[Problem] = (), hint: str = VALIDATE_HINT):
        if not isinstance(message, str):
            problems, message = tuple(message), ""
        self.problems = tuple(problems)
        if not message:
            first = str(self.problems[0]) if self.problems else "invalid data"
            more = len(self.problems) - 1
            message = first + (f" (and {plural(more, 'more problem')}; {hint})" if more else "")
        super().__init__(message)


class OutputError(CalcinosisError):
    """Output that cannot be written as asked (a narrow encoding, an existing file, no folder)."""

    exit_code = EXIT_DATA


class MissingExtra(CalcinosisError):
    """An optional dependency (an extra such as calcinosis[plot]) is not installed."""

    exit_code = EXIT_DATA
