"""`calcinosis pool`: random-effects pooled share improved per group, as metafor computes it."""

from __future__ import annotations

import click

from ...pooling.model import LEVELS, MEASURES, METHODS
from ..options import Choice, filter_options, filters_from, global_options, output_options
from ..output import RowOutput
from ..session import current_session

POOL_BY = ("treatment", "class", "diagnosis", "design", "level", "decade", "reference")


@click.command("pool")
@click.option(
    "--by",
    "by",
    type=Choice(POOL_BY),
    default="treatment",
    show_default=True,
    help=f"One analysis per group: {', '.join(POOL_BY[:-1])} or {POOL_BY[-1]}.",
)
@filter_options
@click.option(
    "--measure",
    type=Choice(list(MEASURES)),
    default="logit",
    show_default=True,
    help="logit (log odds, metafor PLO), ft (Freeman-Tukey double arcsine, Miller's back-transformation) or "
    "raw (the proportion).",
)
@click.option(
    "--method",
    type=Choice(list(METHODS)),
    default="reml",
    show_default=True,
    help="tau² estimator: reml, dl (DerSimonian-Laird), pm (Paule-Mandel), ml, or glmm (random-intercept "
    "logistic model by maximum likelihood, as metafor's rma.glmm; logit only).",
)
@click.option("--hk", is_flag=True, help="Hartung-Knapp(-Sidik-Jonkman) adjustment: t with k-1 df.")
@click.option(
    "--level",
    "level",
    type=Choice([str(n) for n in LEVELS]),
    default="95",
    show_default=True,
    help="Level of the confidence and prediction intervals, in percent: 90, 95 or 99.",
)
@click.option("--leave-one-out", "leave_one_out", is_flag=True, help="Re-run each group without each input in turn.")
@output_options
@global_options
@click.pass_context
def pool_command(
    ctx: click.Context,
    by: str,
    measure: str,
    method: str,
    hk: bool,
    level: str,
    leave_one_out: bool,
    output: RowOutput,
    **kwargs,
) -> None:
    """Random-effects meta-analysis of the share improved, one analysis per group: k, events and
    total, the pooled percentage with its confidence and prediction intervals, tau², I², H²,
    Q (df, p), each input's weight, and the test for subgroup differences. Takes the same
    filters as 'list'; needs calcinosis[stats] (numpy, scipy).

    One input per study row's treated arm with a stated outcome: improved among the stated
    outcomes, counted as 'group' counts them (control arms never). The arithmetic follows
    R's metafor (escalc, rma, rma.glmm, predict). The pooled figure rests on case series and
    case reports whose outcome definitions differ: it is not a recommendation and not medical
    advice. json gives full precision and an 'inputs' list per group.
    """
    from ...errors import UsageError
    from ...pooling.table import (
        HUMAN_LEAVE_ONE_OUT,
        HUMAN_POOL_COLUMNS,
        LEAVE_ONE_OUT_COLUMNS,
        POOL_COLUMNS,
    )
    from ...render import check_format
    from ..output import print_columns

    if method == "glmm" and measure != "logit":
        raise UsageError("--method glmm is a logistic model: it goes with --measure logit")
    known = LEAVE_ONE_OUT_COLUMNS if leave_one_out else POOL_COLUMNS
    human = HUMAN_LEAVE_ONE_OUT if leave_one_out else HUMAN_POOL_COLUMNS
    if output.list_columns:
        print_columns(known, human)
        return
    fmt = output.fmt
    if fmt is not None:
        check_format(fmt)
    session = current_session(ctx)
    filters = filters_from(kwargs)
    ds = session.dataset()
    studies = session.studies(filters)
    from ...pooling import pool_groups, subgroup_test
    from ...pooling.table import leave_one_out_rows, notes, pool_rows

    groups = pool_groups(ds, studies, by, measure, method, hk, int(level))
    subgroups = subgroup_test([(g.name, g.result) for g in groups])
    rows = leave_one_out_rows(groups) if leave_one_out else pool_rows(groups, subgroups)
    under = notes(groups, subgroups, measure, method, hk, int(level))
    if not groups:
        under.insert(0, "No study rows match the filters: nothing to pool.")
    title = f"Pooled share improved by {by}, random effects ({method.upper()}, {measure}): not advice"
    if leave_one_out:
        title = f"Leave-one-out: pooled share improved by {by} without each input ({method.upper()}, {measure})"
    _emit(
        rows, known, human, output, fmt, title, under, f"{len(studies)} of {len(ds.studies)} rows; {len(groups)} groups"
    )


def _emit(rows, known, human, output: RowOutput, fmt, title: str, under: list[str], caption: str) -> None:
    """Rows (columns, sort, limit as the other commands), then the notes for a person."""
    from ...analysis.rows import shape_rows
    from ...pooling.table import DISPLAY_POOL_COLUMNS, NESTED_COLUMNS
    from ...render import MACHINE_FORMATS, render_rows
    from ..output import echo_text, print_renderable, rich_terminal, terminal_width

    fmt = fmt or ("table" if rich_terminal() else "plain")
    machine = fmt in MACHINE_FORMATS
    if machine:
        nested_ok = fmt in ("json", "jsonl")
        default = [c for c in known if c not in DISPLAY_POOL_COLUMNS and (nested_ok or c not in NESTED_COLUMNS)]
    else:
        default = list(human)
    shown, names = shape_rows(
        rows,
        known,
        default,
        columns=output.columns,
        sort_key=output.sort_key,
        reverse=output.reverse,
        limit=output.limit,
    )
    if machine:
        if fmt in ("csv", "tsv") and "inputs" in names:
            shown = [{**r, "inputs": _inputs_text(r["inputs"])} for r in shown]
        echo_text(render_rows(shown, names, fmt, guard_formulas=output.guard_formulas), fmt)
        return
    shown = [{**r, **{c: _cell(r.get(c)) for c in ("tau2", "i2", "h2", "heterogeneity") if c in r}} for r in shown]
    if "inputs" in names:
        shown = [{**r, "inputs": _inputs_text(r["inputs"])} for r in shown]
    if fmt == "table":
        from rich.console import Group
        from rich.text import Text

        from ...render.terminal import rows_renderable

        lines = [Text(f"{n}. {note}", style="dim") for n, note in enumerate(under, 1)]
        print_renderable(Group(rows_renderable(terminal_width(), shown, names, title, caption), *lines))
        return
    text = render_rows(shown, names, fmt)
    if fmt == "markdown":
        from ...render.markdown import escape_inline

        text = (
            f"**{escape_inline(title)}**\n\n"
            + text
            + "\n"
            + "".join(f"{n}. {escape_inline(note)}\n" for n, note in enumerate(under, 1))
        )
    else:
        text = title + "\n\n" + text + "\n" + "".join(f"{n}. {note}\n" for n, note in enumerate(under, 1))
    echo_text(text, fmt)


def _cell(value):
    from ...pooling.table import NOT_ESTIMABLE

    if value is None:
        return NOT_ESTIMABLE
    return value if isinstance(value, str) else f"{value:.4g}"


def _inputs_text(inputs) -> str:
    return "; ".join(
        f"{i['id']} {i['events']}/{i['total']}" + ("" if i["weight"] is None else f" ({i['weight']:.1f}%)")
        for i in inputs
    )
