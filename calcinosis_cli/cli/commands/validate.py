"""`calcinosis validate`: check dataset files and report every problem."""

from __future__ import annotations

import click

from ...errors import EXIT_DATA, plural
from ..options import DataPath, global_options
from ..session import current_session


@click.command("validate")
@click.argument("paths", nargs=-1, type=DataPath())
@global_options
@click.pass_context
def validate_command(ctx: click.Context, paths: tuple[str, ...]) -> None:
    """Check dataset files and report every problem, one per line as file:line:column: message.

    PATHS are checked together with the bundled dataset (so they may cite its references
    and terms) unless --no-bundled is given; with no PATHS, the --data files and the
    bundled dataset are checked. Exit 0 and a one-line summary when clean, 1 otherwise.
    """
    from ...dataset.load import check_files

    session = current_session(ctx)
    session.add_data(paths)
    files = session.paths()
    own = list(session.data)
    merged, problems = check_files(files)
    for problem in problems:
        click.echo(str(problem))
    checked = _files(len(own)) + " of yours" if own else "the bundled dataset"
    context = (" with the bundled vocabulary" if session.no_bundled else " with the bundled dataset") if own else ""
    if problems:
        click.echo(f"calcinosis: {plural(len(problems), 'problem')} in {checked}{context}", err=True)
        ctx.exit(EXIT_DATA)
    mine = set(own) or set(files)
    defined = merged["defined_in"]
    studies = sum(1 for path in defined.get("studies", {}).values() if path in mine)
    refs = sum(1 for path in defined.get("references", {}).values() if path in mine)
    # Sections a file need not hold are counted only where it holds them.
    extra = ""
    for section, one, many in (
        ("appraisals", "appraisal", "appraisals"),
        ("certainty", "certainty entry", "certainty entries"),
    ):
        count = sum(1 for path in defined.get(section, {}).values() if path in mine)
        extra += f", {plural(count, one, many)}" if count else ""
    click.echo(
        f"ok: {checked}{context}: {plural(studies, 'study', 'studies')}, {plural(refs, 'reference')}{extra}, "
        "no problems"
    )


def _files(count: int) -> str:
    return plural(count, "file")
