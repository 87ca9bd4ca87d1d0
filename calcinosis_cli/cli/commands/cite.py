"""`calcinosis cite`: the references of the selected studies in citation-manager formats."""

from __future__ import annotations

import click

from ...errors import UsageError
from ..options import Choice, filter_options, filters_from, global_options
from ..output import echo_text
from ..session import current_session

STYLES = ("vancouver", "bibtex", "ris", "csl-json")


@click.command("cite")
@filter_options
@click.option(
    "--style",
    "-s",
    default="vancouver",
    show_default=True,
    type=Choice(STYLES),
    help="Citation format: vancouver, bibtex, ris or csl-json.",
)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="The source paper's whole reference list, in its order, not only the works the rows cite "
    "(with no numbered list, as in a file of references alone: every reference, in file order).",
)
@global_options
@click.pass_context
def cite_command(ctx: click.Context, style: str, everything: bool, **kwargs) -> None:
    """The references of the selected studies, once each, in citation-manager formats.

    Keys are stable (berger1987). Takes the same filters as 'list'; --all gives the source
    paper's whole reference list (its 19 numbered entries) instead.
    """
    from ...exchange.formats import render_citations

    filters = filters_from(kwargs)
    session = current_session(ctx)
    ds = session.dataset()
    if everything:
        if filters.any():
            raise UsageError("--all gives the whole reference list: it takes no filters")
        refs = sorted((r for r in ds.references.values() if r.number is not None), key=lambda r: r.number)
        if not refs:  # no source paper's list (a file of references alone): every reference, in file order
            refs = list(ds.references.values())
    else:
        ref_ids = dict.fromkeys(s.reference for s in session.studies(filters))
        refs = [ds.references[r] for r in ref_ids if r in ds.references]
    if refs:
        echo_text(render_citations(refs, style), "json" if style == "csl-json" else style)
    elif style == "csl-json":
        echo_text("[]\n", "json")
