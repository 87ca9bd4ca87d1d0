"""Errors the user can fix, and the exit codes: 0 success, 1 data error, 2 usage error."""

from __future__ import annotations

from collections.abc import Callable

import click

EXIT_DATA = 1
EXIT_USAGE = 2


class CalcinosisError(click.ClickException):
    """An error the user can fix, printed as one line with our exit codes."""

    def __init__(self, message: str, exit_code: int = EXIT_DATA):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(f"calcinosis: error: {self.format_message()}", err=True)


def usage_errors(func: Callable, *args, **kwargs):
    """Call ``func``; turn a QueryError (bad filter, column or id) into a usage error."""
    from .query import QueryError

    try:
        return func(*args, **kwargs)
    except (QueryError, ValueError) as err:
        raise CalcinosisError(str(err), EXIT_USAGE) from err
