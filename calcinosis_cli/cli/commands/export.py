"""`calcinosis export`: the dataset as a SQLite database, an extraction sheet (csv) or YAML."""

from __future__ import annotations

import click

from ...errors import UsageError
from ..options import Choice, global_options
from ..output import write_file, write_folder, write_with
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
@click.option("--output", "-o", metavar="FILE", help="The file to write (atomically); - for stdout (csv, yaml).")
@click.option(
    "--split",
    metavar="DIR",
    help="yaml: write a folder instead, one file per reference (read it with '--no-bundled --data DIR').",
)
@click.option("--force", is_flag=True, help="Replace FILE if it exists (with --split: write into DIR if it exists).")
@global_options
@click.pass_context
def export_command(ctx: click.Context, fmt: str, output: str | None, split: str | None, force: bool) -> None:
    """Write the whole dataset (the bundled data and your --data files) to FILE.

    sqlite: a normalised database with keys declared, provenance in a metadata table and views
    of treated patients per treatment and class (datasette, DuckDB and sqlite-utils open it as
    it is).

    csv: an extraction sheet, one study a row (UTF-8 with a byte-order mark, so spreadsheets
    keep the accents); edit it and bring it back with 'calcinosis import'.

    yaml: one data file with every record but the tool's own vocabulary; read it with
    '--no-bundled --data FILE'. With --split DIR instead of --output: a new folder of files,
    one per reference (REFERENCE-ID.yaml: the reference, its rows, cases and later evidence,
    and the footnotes its rows use) and dataset.yaml (the dataset's metadata, your vocabulary,
    quirks); the folder appears whole or not at all.

    A failure leaves any earlier FILE whole; FILE is replaced only with --force.
    """
    if split is not None and output is not None:
        raise UsageError("give --output FILE or --split DIR, not both")
    if split is not None and fmt != "yaml":
        raise UsageError("--split writes data files: use it with --format yaml")
    if split is None and output is None:
        raise UsageError("missing option '--output' (or, with --format yaml, '--split')")
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

        if split is not None:
            _write_split(split, ds, session, force)
            return
        header = (
            "calcinosis dataset file (export --format yaml), "
            + session.provenance().header()
            + "\nRead it back with: calcinosis --no-bundled --data FILE list"
        )
        write_file(output, render_dataset_file(dataset_sections(ds), header), force)


def _write_split(folder: str, ds, session, force: bool) -> None:
    from ...exchange.dataset_file import render_dataset_file
    from ...exchange.dataset_folder import split_sections

    header = (
        "calcinosis dataset file (export --format yaml --split), "
        + session.provenance().header()
        + "\nOne file of a folder; read the folder with: calcinosis --no-bundled --data FOLDER list"
    )
    files = {name: render_dataset_file(sections, header) for name, sections in split_sections(ds).items()}
    left = write_folder(folder, files, force)
    if not session.quiet:
        click.echo(f"calcinosis: wrote {len(files)} files to {folder}", err=True)
        for name in left:
            click.echo(f"calcinosis: note: {name} was already in {folder} and is still read with it", err=True)
