"""The report's pooled section (``report --pooled``): one random-effects analysis per treatment,
with what it rests on, as a table with its notes. Built from pooling/, like the pool command, so
the two say the same; the crude tallies stay the report's main content."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .. import model
from .blocks import Column, Heading, Paragraph, Quote, Table, TableNoteRef, Text, text

COLUMNS = (
    Column("Treatment"),
    Column("Studies"),
    Column("k", numeric=True),
    Column("Improved / stated", numeric=True),
    Column("Pooled % (CI)", numeric=True),
    Column("Prediction interval %", numeric=True),
    Column("Heterogeneity"),
)


def pooled_section(
    studies: Sequence[model.Study],
    by: str = "treatment",
    measure: str = "logit",
    method: str = "reml",
    hk: bool = False,
    level: int = 95,
) -> Callable:
    """A section function for build_report(sections=[...]): the pooled table of ``studies``."""

    def section(b) -> list:
        from ..pooling import FRAMING, pool_groups, subgroup_test
        from ..pooling.table import NOT_ESTIMABLE, group_note, heterogeneity_cell, interval_cell, method_line

        groups = pool_groups(b.ds, studies, by, measure, method, hk, level)
        if not groups:
            return []
        subgroups = subgroup_test([(g.name, g.result) for g in groups])
        rows, notes = [], []
        for group in groups:
            result = group.result
            notes.append(text(group_note(group) + "."))
            cites: list = []
            for reference in dict.fromkeys(b.ds.study(item.id).reference for item in result.inputs):
                if cites:
                    cites.append(Text(", "))
                cites.append(b.cite(reference))
            pooled = interval_cell(result.pct, result.ci) or "–"
            prediction = interval_cell(result.pct, result.pi) if result.pi else "–"
            het = heterogeneity_cell(result) or NOT_ESTIMABLE
            rows.append(
                (
                    (Text(group.name), TableNoteRef(len(notes) - 1)),
                    tuple(cites) or text("–"),
                    text(result.k),
                    text(f"{result.events} / {result.total}"),
                    text(pooled),
                    text(prediction),
                    text(het),
                )
            )
        notes.append(text(method_line(groups[0].result)))
        if subgroups.q is not None:
            from ..pooling.table import p_text

            notes.append(
                text(
                    f"Test for subgroup differences over the {len(subgroups.groups)} groups with two or more "
                    f"inputs (from the separate fits): Q {subgroups.q:.2f}, df {subgroups.df}, "
                    f"{p_text(subgroups.p)}."  # type: ignore[arg-type]
                )
            )
        return [
            Heading(2, text(f"Pooled share improved by {by} (random effects)"), "pooled"),
            Quote(text(FRAMING)),
            Paragraph(
                text(
                    "The crude tallies above stay the summary of record; this section is the arithmetic a "
                    "reviewer would otherwise run in R (metafor), shown with what it rests on."
                )
            ),
            Table(COLUMNS, tuple(rows), tuple(notes)),
        ]

    return section
