"""`calcinosis import`: an extraction sheet and reference exports into one data file."""

from __future__ import annotations

import click

from ...errors import EXIT_DATA, DataError, plural
from ..options import DataPath, global_options
from ..session import current_session


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=DataPath())
@click.option(
    "--output", "-o", metavar="FILE", required=True, help="The data file to write (YAML, atomically); - for stdout."
)
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.option(
    "--strict",
    is_flag=True,
    help="A reference record that cannot be used (missing a field its type needs, a placeholder year) is "
    "a problem: nothing is written. Without it, such a record is left out with a note.",
)
@global_options
@click.pass_context
def import_command(ctx: click.Context, files: tuple[str, ...], output: str, force: bool, strict: bool) -> None:
    """Turn an extraction sheet (.csv) and references exported from a reference manager
    (RIS, PubMed .nbib, BibTeX, CSL-JSON) into one data file, FILE.

    Start a sheet with 'calcinosis export --format csv'. Its reference cells may give a
    reference's key, DOI or PMID. The result is checked as it will be read: beside the bundled
    dataset and your --data files (unless --no-bundled). Every problem is listed, one per line,
    at its row and column or record and tag; then nothing is written and the exit code is 1.
    A reference record that cannot be used is left out with a one-line note (--strict: a problem).
    Use the file with 'calcinosis --data FILE list'.
    """
    from ...dataset.files import read_file_bytes
    from ...exchange.dataset_file import render_dataset_file
    from ...exchange.importing import describe_inputs, import_files
    from ..output import refuse_existing, write_file

    session = current_session(ctx)
    refuse_existing(output, force)
    known = session.dataset(vocabulary_alone=True)  # what the output will be read with
    context = session.paths()
    datas = [read_file_bytes(path) for path in files]
    notes: list[str] = []
    imported, problems = import_files(
        list(files), datas, known, context, session.contents(), strict=strict, notes=notes
    )
    if imported is None:
        for problem in problems:
            click.echo(str(problem), err=True)
        for line in notes:
            click.echo(f"calcinosis: note: {line}", err=True)
        click.echo(f"calcinosis: {plural(len(problems), 'problem')}; nothing was written", err=True)
        ctx.exit(EXIT_DATA)
    if not imported.sections:
        for line in imported.notes:
            click.echo(f"calcinosis: note: {line}", err=True)
        why = "every record given is already in the data" if imported.notes else "the files hold no record"
        raise DataError(f"nothing to write to {output}: {why}")
    header = (
        f"calcinosis data file (import) from: {describe_inputs(files)}, {session.provenance().header()}\n"
        f"Use it with: calcinosis --data {output if output != '-' else 'FILE'} list"
    )
    write_file(output, render_dataset_file(imported.sections, header), force)
    if not session.quiet:
        for line in imported.notes:
            click.echo(f"calcinosis: note: {line}", err=True)
        counts = ", ".join(
            plural(number, noun, plural_form)
            for number, noun, plural_form in (
                (imported.studies, "study", "studies"),
                (imported.references, "reference", "references"),
                (imported.treatments, "new treatment", "new treatments"),
            )
        )
        click.echo(f"calcinosis: wrote {output}: {counts}", err=True)
