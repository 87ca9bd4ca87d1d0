"""`calcinosis validate`: check dataset files and report every problem."""

from __future__ import annotations

import click

from ...errors import EXIT_DATA
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
        noun = "problem" if len(problems) == 1 else "problems"
        click.echo(f"calcinosis: {len(problems)} {noun} in {checked}{context}", err=True)
        ctx.exit(EXIT_DATA)
    mine = set(own) or set(files)
    defined = merged["defined_in"]
    studies = sum(1 for path in defined.get("studies", {}).values() if path in mine)
    refs = sum(1 for path in defined.get("references", {}).values() if path in mine)
    click.echo(
        f"ok: {checked}{context}: {_count(studies, 'study', 'studies')}, {_count(refs, 'reference')}, no problems"
    )


def _files(count: int) -> str:
    return _count(count, "file")


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
