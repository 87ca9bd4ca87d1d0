"""The terminal's facts, in one object (httpie's ``Environment``): the standard streams, whether
each is a terminal, stdout's encoding, the width to draw for, and whether to colour.

Everything that asks "is a person watching?" asks this object, so that tests can replace it
(``use(Environment(...))``) instead of patching streams and variables one by one. The streams
are read when asked, not when the object is made, so click's test runner, which swaps them,
is seen.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

DEFAULT_WIDTH = 80


class Environment:
    """Where output goes and what it can show; ``environ`` defaults to the process's."""

    def __init__(
        self,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        environ: dict[str, str] | None = None,
        stdout_isatty: bool | None = None,
        stderr_isatty: bool | None = None,
        width: int | None = None,
    ) -> None:
        self._stdout, self._stderr = stdout, stderr
        self._environ = environ
        self._stdout_isatty, self._stderr_isatty = stdout_isatty, stderr_isatty
        self._width = width

    @property
    def environ(self):
        return os.environ if self._environ is None else self._environ

    @property
    def stdout(self) -> TextIO:
        return self._stdout if self._stdout is not None else sys.stdout

    @property
    def stderr(self) -> TextIO:
        return self._stderr if self._stderr is not None else sys.stderr

    @property
    def stdout_isatty(self) -> bool:
        return self._stdout_isatty if self._stdout_isatty is not None else _isatty(self.stdout)

    @property
    def stderr_isatty(self) -> bool:
        return self._stderr_isatty if self._stderr_isatty is not None else _isatty(self.stderr)

    @property
    def dumb(self) -> bool:
        """TERM=dumb: a terminal that shows plain text only."""
        return self.environ.get("TERM") == "dumb"

    @property
    def rich_terminal(self) -> bool:
        """Whether the default output is for a person at a terminal that can show a rich table."""
        return self.stdout_isatty and not self.dumb

    @property
    def wants_color(self) -> bool | None:
        """False: never colour; True: colour even in a pipe; None: colour if stdout is a terminal."""
        if self.environ.get("NO_COLOR"):
            return False
        if self.environ.get("FORCE_COLOR"):
            return True
        if self.dumb:
            return False
        return None

    @property
    def encoding(self) -> str:
        return (getattr(self.stdout, "encoding", None) or "utf-8").lower()

    def columns(self) -> int | None:
        """COLUMNS when it is a positive whole number; an empty or malformed one is ignored."""
        if self._width is not None:
            return self._width
        columns = self.environ.get("COLUMNS", "").strip()
        return int(columns) if columns.isdigit() and int(columns) > 0 else None

    @property
    def width(self) -> int:
        """The width to draw for: COLUMNS, else the terminal's, else 80."""
        columns = self.columns()
        if columns is not None:
            return columns
        try:
            size = os.get_terminal_size(self.stdout.fileno())
        except (AttributeError, OSError, ValueError):
            return DEFAULT_WIDTH
        return size.columns or DEFAULT_WIDTH


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


_current = Environment()


def current() -> Environment:
    """The environment of this run."""
    return _current


def use(environment: Environment) -> Environment:
    """Make ``environment`` the one this run asks (tests); returns the one it replaces."""
    global _current
    previous, _current = _current, environment
    return previous
