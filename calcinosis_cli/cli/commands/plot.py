"""`calcinosis plot KIND`: a forest plot, an evidence map or outcome bars, in the terminal or as a file."""

from __future__ import annotations

import functools

import click

from ...figures import KINDS
from ..figure_blocks import emit_figure, figure_file_format
from ..options import Choice, figure_file_options, filter_options, filters_from, global_options, level_option
from ..session import current_session


@click.command("plot")
@click.argument("kind", metavar="KIND", type=Choice(list(KINDS)))
@functools.partial(filter_options, rob=False)
@click.option(
    "--by",
    type=Choice(["treatment", "class", "diagnosis"]),
    default="treatment",
    show_default=True,
    help="forest: group the rows by treatment, class or diagnosis.",
)
@click.option(
    "--pooled",
    is_flag=True,
    help="forest: each group's random-effects pooled share (diamond), prediction interval, weights and "
    "heterogeneity in place of its crude line (needs calcinosis[stats]; see 'calcinosis pool').",
)
@click.option(
    "--measure",
    type=Choice(["logit", "ft", "raw"]),
    help="forest: the measure pooled (implies --pooled; default logit; see 'calcinosis pool').",
)
@click.option(
    "--method",
    type=Choice(["reml", "dl", "pm", "ml", "glmm"]),
    help="forest: the tau² estimator (implies --pooled; default reml; see 'calcinosis pool').",
)
@click.option("--hk", is_flag=True, help="forest: the Hartung-Knapp adjustment (implies --pooled).")
@click.option(
    "--color",
    "color",
    type=Choice(["improved", "level"]),
    default="improved",
    show_default=True,
    help="map: colour each cell by the share improved or by its best level of evidence.",
)
@click.option(
    "--palette",
    type=Choice(["cochrane", "colourblind"]),
    default="cochrane",
    show_default=True,
    help="rob, rob-summary: robvis's Cochrane colours or its colour-blind palette.",
)
@click.option(
    "--tool", "tool_id", metavar="TOOL", help="rob, rob-summary: the appraisal tool (where studies have several)."
)
@click.option(
    "--rob", "show_rob", is_flag=True, help="forest: show each row's overall risk-of-bias judgement beside it."
)
@figure_file_options
@level_option
@global_options
@click.pass_context
def plot_command(
    ctx: click.Context,
    kind: str,
    by: str,
    pooled: bool,
    measure: str | None,
    method: str | None,
    hk: bool,
    color: str,
    palette: str,
    tool_id: str | None,
    show_rob: bool,
    output: str | None,
    force: bool,
    width: float | None,
    height: float | None,
    dpi: int,
    title: str | None,
    level: int,
    **kwargs,
) -> None:
    """Draw the selected studies: 'forest' (each row's share improved with its exact
    interval, grouped, with a crude line per group), 'map' (treatments by diagnoses, circles
    sized by patients), 'outcomes' (patients by outcome per treatment, stacked), 'rob' (the
    risk-of-bias traffic light: studies by items) or 'rob-summary' (a 100% bar per item).
    Takes the same filters as 'list'.

    In a terminal the figure is drawn with text and colour; in a pipe it is plain text with
    the numbers. --output FILE writes SVG, PNG or PDF (matplotlib: pip install
    'calcinosis[plot]'). Crude counts of what the sources print, not a meta-analysis.
    """

    from ... import figures
    from ...errors import UsageError

    filters = filters_from(kwargs)
    session = current_session(ctx)
    ds = session.dataset()
    studies = session.studies(filters)
    file_format = figure_file_format(output)
    pooled = pooled or bool(measure or method or hk)  # each of them asks for the pooled plot
    if pooled and kind != "forest":
        raise UsageError("--pooled (and --measure, --method, --hk) go with the forest plot")
    if method == "glmm" and measure not in (None, "logit"):
        raise UsageError("--method glmm is a logistic model: it goes with --measure logit")
    options = {"forest": {"by": by, "level": level}, "map": {"color": color}, "outcomes": {}}.get(kind, {})
    if kind in ("rob", "rob-summary"):
        options = {"palette": palette, "tool": tool_id}
    if show_rob and kind == "forest":
        options["rob"] = True
    if pooled:
        options["pooled"] = {"measure": measure or "logit", "method": method or "reml", "hk": hk}
    figure = figures.build(kind, ds, studies, **options)
    size = {"width": width, "height": height, "dpi": dpi, "title": title, "force": force}
    emit_figure(figure, output, file_format, size, pipe_width=100)
