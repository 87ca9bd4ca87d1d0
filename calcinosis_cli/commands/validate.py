"""`calcinosis validate` and `calcinosis schema`: checking dataset files."""

from __future__ import annotations

import click

from ..errors import EXIT_DATA, EXIT_USAGE, CalcinosisError


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False))
@click.pass_context
def validate_command(ctx: click.Context, paths: tuple[str, ...]) -> None:
    """Check dataset files and report every problem, one per line as file:line:column: message.

    PATHS are checked together with the bundled dataset (so they may cite its references
    and terms) unless --no-bundled is given; with no PATHS, the --data files and the
    bundled dataset are checked. Exit 0 and a one-line summary when clean, 1 otherwise.
    """
    from ..datafiles import bundled_paths
    from ..load import check_files

    state = ctx.find_root().obj or {}
    own = list(paths) or list(state.get("data", ()))
    files = ([] if state.get("no_bundled") else bundled_paths()) + own
    if not files:
        raise CalcinosisError("nothing to validate: give a PATH or drop --no-bundled", EXIT_USAGE)
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


@click.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the dataset format (for editors that check YAML as you type)."""
    import json

    from ..schema import dataset_schema

    click.echo(json.dumps(dataset_schema(), indent=2, ensure_ascii=False))
