"""`calcinosis appraisal`: the reviewers' risk-of-bias appraisals of the selected studies, the
CSV robvis reads, and the agreement of two reviewers."""

from __future__ import annotations

import click

from ...errors import plural
from ..options import filter_options, filters_from, global_options, output_options
from ..output import RowOutput, TableSpec, echo_text, emit_rows, emit_table
from ..session import current_session


@click.command("appraisal")
@filter_options
@output_options
@click.option("--tool", "tool_id", metavar="TOOL", help="Only appraisals with this tool (murad2018, ...).")
@click.option(
    "--agreement",
    is_flag=True,
    help="Compare two reviewers: per item and overall, percent agreement and Cohen's kappa with the counts, "
    "and every disagreement.",
)
@click.option(
    "--reviewers",
    metavar="A,B",
    help="--agreement: the two reviewers to compare (default: the two who appraised with the tool).",
)
@global_options
@click.pass_context
def appraisal_command(
    ctx: click.Context,
    output: RowOutput,
    tool_id: str | None,
    agreement: bool,
    reviewers: str | None,
    **kwargs,
) -> None:
    """The appraisals of the studies that match the filters (the filters of 'list'): a row per
    appraised study, an answer per item (q1, q2, ...), the reviewer's own overall judgement and
    how many items got each answer. Where a 'consensus' entry exists it is the one shown.

    --format robvis writes the CSV that robvis's Generic template reads (Study,D1..Dn,Overall):
    yes is Low, no High, unclear Unclear, not applicable Not applicable. The tool computes no
    score and no overall judgement: both are the reviewer's."""
    from ...appraisal.tools import tool_named

    filters = filters_from(kwargs)
    session = current_session(ctx)
    ds = session.dataset()
    studies = [s.id for s in session.studies(filters)]
    if tool_id is not None:
        tool_named(ds, tool_id)
    if agreement:
        _agreement(ds, studies, tool_id, reviewers, output)
        return
    from ...appraisal import settled
    from ...appraisal.rows import appraisal_rows, columns

    if output.fmt == "robvis":
        from ...appraisal.rows import robvis_csv

        entries = [e for e in settled(ds, studies) if tool_id is None or e.tool == tool_id]
        order = {sid: i for i, sid in enumerate(studies)}
        entries.sort(key=lambda e: order[e.study])
        echo_text(robvis_csv(ds, entries), "csv")
        return
    entries = [e for e in settled(ds, studies) if tool_id is None or e.tool == tool_id]
    known = columns(ds, entries)
    human = [c for c in known if c not in ("overall_reason", "support", "origin", "date")]

    def caption(rows: list, shown: list) -> str:
        return (
            f"{plural(len(rows), 'appraisal')} of {plural(len({r['study'] for r in rows}), 'study', 'studies')}; "
            "answers are the reviewers', "
            "and no score is computed"
        )

    spec = TableSpec(lambda: appraisal_rows(ds, studies, tool_id), known, human, caption, "Risk of bias")
    emit_table(spec, output)


def _agreement(ds, studies, tool_id: str | None, reviewers: str | None, output: RowOutput) -> None:
    import json

    from ...appraisal.agreement import agreement_dict, compare, reviewers_of
    from ...appraisal.tools import tool_named
    from ...errors import UsageError

    if tool_id is None:
        used = list(dict.fromkeys(e.tool for e in ds.appraisals))
        if len(used) != 1:
            raise UsageError(
                "--agreement compares answers of one tool: choose it with --tool"
                + (f" ({', '.join(used)})" if used else " (no appraisals are loaded)")
            )
        tool_id = used[0]
    tool = tool_named(ds, tool_id)
    if reviewers is not None:
        pair = [r.strip() for r in reviewers.split(",") if r.strip()]
        if len(pair) != 2 or pair[0] == pair[1]:
            raise UsageError(f"--reviewers {reviewers!r}: give two different reviewers, as A,B")
    else:
        pair = reviewers_of(ds, tool.id)
        if len(pair) != 2:
            raise UsageError(
                f"--agreement needs two reviewers; {tool.id} has "
                + (f"{len(pair)}: {', '.join(pair)}; choose two with --reviewers A,B" if pair else "none")
            )
    result = compare(ds, tool, pair[0], pair[1], studies)
    if not result.studies:
        raise UsageError(f"no study is appraised with {tool.id} by both {pair[0]} and {pair[1]}")
    if output.fmt in ("json", "jsonl"):
        data = {
            "tool": tool.id,
            "reviewers": list(result.reviewers),
            "studies": list(result.studies),
            "items": [{"item": number, **agreement_dict(a)} for number, a in result.items],
            "overall": agreement_dict(result.overall),
            "overall_judgement": agreement_dict(result.judgement),
            "disagreements": [
                {"study": s, "item": i, result.reviewers[0]: a, result.reviewers[1]: b}
                for s, i, a, b in result.disagreements
            ],
        }
        echo_text(json.dumps(data, ensure_ascii=False, indent=None if output.fmt == "jsonl" else 2) + "\n", "json")
        return
    first, second = result.reviewers
    rows = [_agreement_row(str(number), a) for number, a in result.items]
    rows.append(_agreement_row("all items", result.overall))
    rows.append(_agreement_row("overall judgement", result.judgement))
    names = ["item", "pairs", "agreed", "percent", "po", "pe", "kappa", "counts"]
    title = f"Agreement of {first} and {second} with {tool.id} on {len(result.studies)} studies"
    emit_rows(rows, names, output, title=title, caption="Cohen's kappa = (po - pe) / (1 - pe); counts are first/second")
    from ..output import rich_terminal

    if (output.fmt or ("table" if rich_terminal() else "plain")) != "table":
        echo_text("\n", "plain")  # two tables, never run together (a Markdown reader would join them)
    disagreements = [{"study": s, "item": i, first: a, second: b} for s, i, a, b in result.disagreements]
    caption = f"{len(disagreements)} to settle (a '{'consensus'}' entry records the settled answers)"
    emit_rows(disagreements, ["study", "item", first, second], output, title="Disagreements", caption=caption)


def _agreement_row(item: str, a) -> dict[str, object]:
    def fixed(value):
        return None if value is None else f"{value:.3f}"

    return {
        "item": item,
        "pairs": a.n,
        "agreed": a.agreed,
        "percent": None if a.po is None else f"{100 * a.po:.1f}",
        "po": fixed(a.po),
        "pe": fixed(a.pe),
        "kappa": fixed(a.kappa) if a.kappa is not None else ("undefined" if a.n else None),
        "counts": ", ".join(f"{x}/{y} {c}" for (x, y), c in sorted(a.counts.items())),
    }
