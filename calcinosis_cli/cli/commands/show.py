"""`calcinosis show ID`: one study in full, as a panel, Markdown or JSON."""

from __future__ import annotations

import click

from ..options import Choice, global_options, later_option
from ..output import echo_text, print_renderable, rich_terminal
from ..session import current_session


@click.command("show")
@click.argument("study_id", metavar="ID")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=Choice(["panel", "markdown", "json"]),
    help="panel (default on a terminal), markdown (default in a pipe) or json.",
)
@later_option
@global_options
@click.pass_context
def show_command(ctx: click.Context, study_id: str, fmt: str | None, no_later: bool) -> None:
    """One study in full: printed and structured fields, footnote, notes, quirks, cases,
    full citation, level of evidence and later evidence. IDs come from 'list --columns id'."""
    from ...analysis.study_detail import find_study, study_detail

    ds = current_session(ctx).dataset()
    detail = study_detail(ds, find_study(ds, study_id), later=not no_later)
    fmt = fmt or ("panel" if rich_terminal() else "markdown")
    if fmt == "json":
        import json

        echo_text(json.dumps(detail, ensure_ascii=False, indent=2) + "\n", "json")
    elif fmt == "markdown":
        from ...render.study import render_detail_markdown

        echo_text(render_detail_markdown(detail), "markdown")
    else:
        from ...render.study import detail_panel

        print_renderable(detail_panel(detail))
