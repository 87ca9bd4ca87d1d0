"""`calcinosis export`: the dataset as a SQLite database, an extraction sheet (csv) or YAML."""

from __future__ import annotations

import click

from ..options import Choice, global_options
from ..output import write_with
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
@click.option("--output", "-o", metavar="FILE", required=True, help="The file to write (atomically).")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@global_options
@click.pass_context
def export_command(ctx: click.Context, fmt: str, output: str, force: bool) -> None:
    """Write the whole dataset (the bundled data and your --data files) to FILE.

    sqlite: a normalised database with keys declared, provenance in a metadata table and views
    of treated patients per treatment and class (datasette, DuckDB and sqlite-utils open it as
    it is). A failure leaves any earlier FILE whole; FILE is replaced only with --force.
    """
    session = current_session(ctx)
    ds = session.dataset()
    if fmt == "sqlite":
        from ..cache import read_contents
        from ..exchange.sqlite import input_files, write_database

        paths = session.paths()
        files = input_files(paths, read_contents(paths))
        write_with(output, lambda tmp: write_database(tmp, ds, files), force)
    else:
        raise click.UsageError(f"--format {fmt} is not written yet")
