"""`calcinosis terms KIND`: the values a filter accepts."""

from __future__ import annotations

import click

from ..options import Choice, global_options
from ..output import echo_text
from ..session import current_session

KINDS = ("treatment", "diagnosis", "outcome", "design", "class")


@click.command("terms")
@click.argument("kind", metavar="KIND", type=Choice(KINDS))
@global_options
@click.pass_context
def terms_command(ctx: click.Context, kind: str) -> None:
    """List the terms a filter accepts, with aliases (treatment, diagnosis, outcome, design, class).

    Treatments, classes, diagnoses and designs are this tool's vocabulary (and your files' own
    terms), not the source paper's words.
    """
    from ... import model
    from ..output import print_renderable, rich_terminal, terminal_width

    # (term, class or broader term, aliases): lines in a pipe, a table at a terminal.
    rows: list[tuple[str, str, str]] = []
    second = ""
    if kind == "outcome":
        rows = [(o, "", "") for o in model.OUTCOMES]
    elif kind == "design":
        aliases = {d: [a for a, to in model.DESIGN_ALIASES.items() if to == d] for d in model.DESIGNS}
        rows = [(d, "", ", ".join(aliases[d])) for d in model.DESIGNS]
    elif kind == "class":
        rows = [(c, "", "") for c in current_session(ctx).dataset().classes]
    elif kind == "treatment":
        second = "class"
        rows = [
            (t.id, t.treatment_class, ", ".join(t.aliases)) for t in current_session(ctx).dataset().treatments.values()
        ]
    else:
        second = "found by"
        rows = [
            (d.id, d.broader or "", ", ".join(d.aliases)) for d in current_session(ctx).dataset().diagnoses.values()
        ]
    if rich_terminal():
        from ...render.terminal import rows_renderable

        columns = ["term"] + ([second] if second else []) + (["also"] if any(r[2] for r in rows) else [])
        records = [dict(zip(("term", second or "-", "also"), row, strict=True)) for row in rows]
        print_renderable(rows_renderable(terminal_width(), records, columns))
        return
    echo_text("".join(_line(kind, *row) + "\n" for row in rows), "plain")


def _line(kind: str, term: str, second: str, also: str) -> str:
    """One term as a line: ``warfarin  [vitamin K antagonist]  (also: coumadin, ...)``."""
    if kind == "treatment":
        return f"{term}  [{second}]" + (f"  (also: {also})" if also else "")
    extra = ([f"also: {also}"] if also else []) + ([f"found by: {second}"] if second else [])
    return term + (f"  ({'; '.join(extra)})" if extra else "")
