"""`calcinosis validate`: check dataset files and report every problem."""

from __future__ import annotations

import click

from ..errors import EXIT_DATA, UsageError
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
    from ..load import check_files

    session = current_session(ctx)
    session.add_data(paths)
    files = session.paths()
    if not files:
        raise UsageError("nothing to validate: give a PATH or drop --no-bundled")
    merged, problems = check_files(files)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        click.echo(f"calcinosis: {len(problems)} {noun} in {len(files)} file(s)", err=True)
        ctx.exit(EXIT_DATA)
    studies = len(merged["studies"]) if merged else 0
    refs = len(merged["references"]) if merged else 0
    click.echo(f"ok: {len(files)} file(s), {studies} studies, {refs} references, no problems")
