"""`calcinosis cite`: the references of the selected studies in citation-manager formats."""

from __future__ import annotations

import click

from ..errors import usage_errors
from ..options import dataset_from_context, filter_options, filters_from
from ..output import echo_text


@click.command("cite")
@filter_options
@click.option(
    "--style",
    "-s",
    default="vancouver",
    show_default=True,
    type=click.Choice(["vancouver", "bibtex", "ris", "csl-json"]),
    help="Citation format.",
)
@click.pass_context
def cite_command(ctx: click.Context, style: str, **kwargs) -> None:
    """The references of the selected studies, once each, in citation-manager formats.

    Keys are stable (berger1987). Takes the same filters as 'list'.
    """
    from ..query import studies_matching
    from ..render.citations import render_citations

    filters = filters_from(kwargs)
    ds = dataset_from_context(ctx)
    studies = usage_errors(studies_matching, ds, filters)
    ref_ids = list(dict.fromkeys(s.reference for s in studies))
    refs = [ds.references[r] for r in ref_ids if r in ds.references]
    if refs:
        echo_text(
            render_citations(refs, style),
            "json" if style == "csl-json" else "csv" if style in ("bibtex", "ris") else "plain",
        )
    elif style == "csl-json":
        click.echo("[]")
