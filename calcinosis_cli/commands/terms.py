"""`calcinosis terms` and `calcinosis formats`: what filters and --format accept."""

from __future__ import annotations

import click

from ..options import dataset_from_context


@click.command("terms")
@click.argument("kind", type=click.Choice(["treatment", "diagnosis", "outcome", "design", "class"]))
@click.pass_context
def terms_command(ctx: click.Context, kind: str) -> None:
    """List the terms a filter accepts, with aliases (treatment, diagnosis, outcome, design, class)."""
    from . import model

    if kind in ("outcome", "design", "class"):
        values = {"outcome": model.OUTCOMES, "design": model.DESIGNS, "class": model.TREATMENT_CLASSES}[kind]
        for value in values:
            click.echo(value)
        return
    ds = dataset_from_context(ctx)
    if kind == "treatment":
        for t in ds.treatments.values():
            aliases = f"  (also: {', '.join(t.aliases)})" if t.aliases else ""
            click.echo(f"{t.id}  [{t.treatment_class}]{aliases}")
    else:
        for d in ds.diagnoses.values():
            extra = []
            if d.aliases:
                extra.append(f"also: {', '.join(d.aliases)}")
            if d.broader:
                extra.append(f"found by: {d.broader}")
            click.echo(d.id + (f"  ({'; '.join(extra)})" if extra else ""))


@click.command("formats")
def formats_command() -> None:
    """List the output formats --format accepts."""
    from ..render import all_formats

    for name in all_formats():
        click.echo(name)
