"""`calcinosis new`: a starter data file, every field explained."""

from __future__ import annotations

import click

from ..options import global_options


@click.command("new")
@click.argument("file", metavar="FILE")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@global_options
def new_command(file: str, force: bool) -> None:
    """Write a starter data file, FILE: every section and field with its meaning and an example
    record, commented out. It validates as it is and adds nothing until you write a record.
    Check it with 'calcinosis validate FILE'."""
    from ..exchange.starter_file import starter_file
    from ..output import write_file

    write_file(file, starter_file().encode("utf-8"), force)
