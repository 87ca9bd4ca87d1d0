"""`calcinosis export`: the dataset as a SQLite database, an extraction sheet (csv) or YAML."""

from __future__ import annotations

import click

from ..options import Choice, global_options
from ..output import write_file, write_with
from ..session import current_session

EXPORT_FORMATS = ("sqlite", "csv", "yaml")


@click.command("export")
@click.option(
    "--format",
    "-f",
    "fmt",
    required=True,
    type=Choice(EXPORT_FORMATS),
    help="sqlite (a normalised database), csv (an extraction sheet, a study a row) or yaml (a dataset file).",
)
@click.option(
    "--output", "-o", metavar="FILE", required=True, help="The file to write (atomically); - for stdout (csv, yaml)."
)
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@global_options
@click.pass_context
def export_command(ctx: click.Context, fmt: str, output: str, force: bool) -> None:
    """Write the whole dataset (the bundled data and your --data files) to FILE.

    sqlite: a normalised database with keys declared, provenance in a metadata table and views
    of treated patients per treatment and class (datasette, DuckDB and sqlite-utils open it as
    it is).

    csv: an extraction sheet, one study a row (UTF-8 with a byte-order mark, so spreadsheets
    keep the accents); edit it and bring it back with 'calcinosis import'.

    yaml: one data file with every record but the tool's own vocabulary; read it with
    '--no-bundled --data FILE'.

    A failure leaves any earlier FILE whole; FILE is replaced only with --force.
    """
    session = current_session(ctx)
    ds = session.dataset()
    if fmt == "sqlite":
        from ...exchange.sqlite import write_database

        provenance = session.provenance()
        write_with(output, lambda tmp: write_database(tmp, ds, provenance), force)
    elif fmt == "csv":
        from ...exchange.sheet import render_sheet

        write_file(output, render_sheet(ds), force)
    else:
        from ...exchange.dataset_file import dataset_sections, render_dataset_file

        header = (
            "calcinosis dataset file (export --format yaml), "
            + session.provenance().header()
            + "\nRead it back with: calcinosis --no-bundled --data FILE list"
        )
        write_file(output, render_dataset_file(dataset_sections(ds), header), force)
