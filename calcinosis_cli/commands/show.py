"""`calcinosis show ID`: one study in full, as a panel, Markdown or JSON."""

from __future__ import annotations

import os

import click

from ..errors import usage_errors
from ..options import dataset_from_context, later_option
from ..output import echo_text, stdout_is_terminal, tolerant_stdout, wants_color


@click.command("show")
@click.argument("study_id", metavar="ID")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["panel", "markdown", "json"]),
    help="panel (default on a terminal), markdown (default in a pipe) or json.",
)
@later_option
@click.pass_context
def show_command(ctx: click.Context, study_id: str, fmt: str | None, no_later: bool) -> None:
    """One study in full: printed and structured fields, footnote, notes, quirks, cases,
    full citation, level of evidence and later evidence. IDs come from 'list --columns id'."""
    from ..detail import find_study, study_detail

    ds = dataset_from_context(ctx)
    study = usage_errors(find_study, ds, study_id)
    detail = study_detail(ds, study, later=not no_later)
    fmt = fmt or ("panel" if stdout_is_terminal() and os.environ.get("TERM") != "dumb" else "markdown")
    if fmt == "json":
        import json

        echo_text(json.dumps(detail, ensure_ascii=False, indent=2) + "\n", "json")
    elif fmt == "markdown":
        from ..render.detail import render_detail_markdown

        echo_text(render_detail_markdown(detail), "markdown")
    else:
        from ..render.detail import detail_panel
        from ..render.terminal import make_console

        tolerant_stdout()
        make_console(color=wants_color()).print(detail_panel(detail))
