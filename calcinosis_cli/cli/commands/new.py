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
    its header row, to fill in one study a row and bring in with 'calcinosis import'. A
    PRISMA 2020 flow (a .csv whose name holds "flow" or "prisma", such as flow.csv): the
    PRISMA2020 package's template with every number 0, to fill in and draw with 'calcinosis
    prisma FILE'. FILE - writes the data file to stdout."""
    import os

    from ..output import write_file

    name = os.path.basename(file).lower()
    if name.endswith(".csv") and ("flow" in name or "prisma" in name):
        from ...prisma import template_csv

        write_file(file, template_csv(), force)
    elif name.endswith(".csv"):
        from ...exchange.sheet import empty_sheet

        write_file(file, empty_sheet(), force)
    else:
        from ...exchange.starter_file import starter_file

        write_file(file, starter_file().encode("utf-8"), force)
