"""The report's risk-of-bias section: per tool, a table of the settled appraisals (a symbol and
its words per item, the reviewer's overall judgement), the tool's items and citation, and the
traffic-light figure where one is drawn. Added through build_report's ``sections`` hook."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .. import model
from .blocks import Bullets, Column, Heading, Paragraph, Symbol, Table, Text, text


def risk_of_bias_section(
    ds: model.Dataset, studies: Sequence[model.Study], figures: Sequence = ()
) -> Callable[[object], list]:
    """The section maker for build_report: nothing when no selected study is appraised."""

    def section(builder) -> list:
        from ..appraisal import settled
        from ..appraisal.symbols import OVERALL_LOOK, look
        from ..appraisal.tools import tools_of

        entries = settled(ds, [s.id for s in studies])
        if not entries:
            return []
        tools = tools_of(ds.tools)
        order = {s.id: i for i, s in enumerate(studies)}
        blocks: list = [
            Heading(2, text("Risk of bias"), "risk-of-bias"),
            Paragraph(
                text(
                    "The reviewers' appraisals, as entered (a consensus entry where there is one). The answers and "
                    "the overall judgements are the reviewers'; no score is computed from them."
                )
            ),
        ]
        for tool_id in dict.fromkeys(e.tool for e in entries):
            tool = tools[tool_id]
            rows_of = sorted((e for e in entries if e.tool == tool_id), key=lambda e: order[e.study])
            columns = (
                Column("Study"),
                Column("Reviewer"),
                *(Column(f"D{n}") for n in range(1, len(tool.items) + 1)),
                Column("Overall"),
            )
            rows = []
            for entry in rows_of:
                study = ds.study(entry.study)
                cells = [(*text(entry.study), Text(" "), builder.cite(study.reference)), text(entry.reviewer)]
                for item in tool.items:
                    answer = entry.answer(item.number)
                    _level, symbol, words = look(answer.answer if answer else None)
                    cells.append((Symbol(symbol.strip() or "·", words),))
                _level, symbol, words = OVERALL_LOOK.get(entry.overall, OVERALL_LOOK[None])
                cells.append((Symbol(symbol.strip() or "·", words),))
                rows.append(tuple(cells))
            blocks.append(Heading(3, text(tool.name), f"risk-of-bias-{tool.id}"))
            blocks.append(Table(columns, tuple(rows)))
            items = tuple(
                text(f"D{n}: item {i.number}{f' ({i.domain})' if i.domain else ''}. {i.question}")
                for n, i in enumerate(tool.items, 1)
            )
            blocks.append(Bullets(items))
            blocks.append(Paragraph(text(f"Tool: {tool.citation}.")))
            blocks += [f for f in figures if getattr(f, "kind", None) == f"rob-{tool.id}"]
        return blocks

    return section
