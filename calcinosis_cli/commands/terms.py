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
    from .. import model

    lines: list[str] = []
    if kind == "outcome":
        lines = list(model.OUTCOMES)
    elif kind == "design":
        aliases = {d: [a for a, to in model.DESIGN_ALIASES.items() if to == d] for d in model.DESIGNS}
        lines = [d + (f"  (also: {', '.join(aliases[d])})" if aliases[d] else "") for d in model.DESIGNS]
    elif kind == "class":
        lines = list(current_session(ctx).dataset().classes)
    elif kind == "treatment":
        for t in current_session(ctx).dataset().treatments.values():
            aliases = f"  (also: {', '.join(t.aliases)})" if t.aliases else ""
            lines.append(f"{t.id}  [{t.treatment_class}]{aliases}")
    else:
        for d in current_session(ctx).dataset().diagnoses.values():
            extra = []
            if d.aliases:
                extra.append(f"also: {', '.join(d.aliases)}")
            if d.broader:
                extra.append(f"found by: {d.broader}")
            lines.append(d.id + (f"  ({'; '.join(extra)})" if extra else ""))
    echo_text("".join(line + "\n" for line in lines), "plain")
