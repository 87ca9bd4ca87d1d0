"""`calcinosis new`: a starter data file, every field explained."""

from __future__ import annotations

import click

from ..options import global_options


@click.command("new")
@click.argument("file", metavar="FILE")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@global_options
def new_command(file: str, force: bool) -> None:
    """Write a starter file, FILE. A data file (.yaml): every section and field with its
    meaning and an example record, commented out; it validates as it is and adds nothing until
    you write a record (check it with 'calcinosis validate FILE'). An extraction sheet (.csv):
    its header row, to fill in one study a row and bring in with 'calcinosis import'.
    FILE - writes the data file to stdout."""
    from ..output import write_file

    if file.lower().endswith(".csv"):
        from ...exchange.sheet import empty_sheet

        write_file(file, empty_sheet(), force)
    else:
        from ...exchange.starter_file import starter_file

        write_file(file, starter_file().encode("utf-8"), force)
