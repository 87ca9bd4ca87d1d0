"""Figures as text: Unicode interval bars and stacked bars with the numbers beside them.

The same figure goes to a terminal (rich, with colour) and to a pipe (plain text that can be
diffed and pasted); neither needs matplotlib. A figure is built as lines of (text, style)
pieces; styles are used only on a terminal, and every glyph stands on its own without colour.
"""

from __future__ import annotations

import textwrap

from . import model as m

Line = list[tuple[str, str]]  # (text, rich style)

DOTS = ((2, "○"), (9, "●"))  # patients up to N -> glyph; more than the last: BIG_DOT
BIG_DOT = "◉"
GAP = "·"  # an evidence map's empty cell
CRUDE = "◆"
GLYPHS = {"improved": "█", "unchanged": "▓", "worsened": "▒", "not_improved": "▚", "not_stated": "░"}


def _dot(patients: int) -> str:
    for limit, glyph in DOTS:
        if patients <= limit:
            return glyph
    return BIG_DOT


def _interval_bar(interval, width: int, marker: str) -> str:
    """A bar over 0-100% ``width`` characters wide: ├──●──┤ from the low to the high bound."""
    cells = [" "] * width

    def at(pct: float) -> int:
        return min(width - 1, max(0, round(pct / 100 * (width - 1))))

    low, high, point = at(interval.low), at(interval.high), at(interval.pct)
    for i in range(low, high + 1):
        cells[i] = "─"
    cells[low], cells[high] = "├", "┤"
    cells[point] = marker
    return "".join(cells)


def _axis(width: int) -> str:
    cells = [" "] * width
    for pct in (0, 25, 50, 75, 100):
        text = f"{pct}%"
        start = min(width - len(text), max(0, round(pct / 100 * (width - 1)) - (len(text) - 1) // 2))
        cells[start : start + len(text)] = text
    return "".join(cells)


# The narrowest interval bar drawn beside its numbers; narrower, the numbers go below it.
INLINE_BAR = 25
NARROWEST_BAR = 11


def forest_lines(figure: m.Forest, width: int) -> list[Line]:
    """The forest plot as lines no wider than ``width`` where it can be: label, N, bar and
    numbers on one line; on a narrower terminal the numbers under the bar, and narrower still
    the label on a line of its own."""
    rows = [r for g in figure.groups for r in (*g.rows, g.crude)]
    label_w = max([len(r.label) for r in rows] + [10]) + 4
    n_w = max(len(f"n={r.patients}") for r in rows) if rows else 4
    numbers_w = max([len(_numbers(r)) for r in rows] + [10])
    label_alone = label_w + n_w + 2 + INLINE_BAR > width
    prefix = (4 if label_alone else label_w) + n_w + 2
    inline = width - prefix - numbers_w - 2 >= INLINE_BAR
    bar_w = max(NARROWEST_BAR, min(61, width - prefix - (numbers_w + 2 if inline else 0)))
    out: list[Line] = [[(figure.title, "bold")], [(" " * prefix + _axis(bar_w), "dim")]]
    for group in figure.groups:
        out.append([(group.name, "bold")])
        for row in (*group.rows, group.crude):
            crude = row is group.crude
            label = ("  " + row.label).ljust(label_w)
            count = f"n={row.patients}".rjust(n_w)
            if row.interval is None:
                bar, style = ("(no stated outcome)" if not row.note else f"({row.note})").ljust(bar_w), "dim"
            else:
                bar = _interval_bar(row.interval, bar_w, CRUDE if crude else _dot(row.patients))
                style = "bold magenta" if crude else "cyan"
            weight = "bold" if crude else ""
            if label_alone:
                out.append([(label.rstrip(), weight)])
                label = " " * 4
            line: Line = [(label, weight), (count + "  ", "dim"), (bar, style)]
            if inline:
                out.append([*line, ("  " + _numbers(row), "")])
            else:
                out += [line, [(" " * prefix + _numbers(row), "")]]
    out.append(
        [
            (
                f"Markers: {DOTS[0][1]} up to {DOTS[0][0]} patients, {DOTS[1][1]} up to {DOTS[1][0]}, {BIG_DOT} more; "
                f"{CRUDE} a group's crude line (all its rows added, not pooled).",
                "dim",
            )
        ]
    )
    out.append([(figure.provenance.caption(), "dim")])
    return out


def _numbers(row: m.ForestRow) -> str:
    if row.interval is None:
        return f"{row.improved}/{row.stated}" if row.stated else "-"
    return f"{row.improved}/{row.stated}  {row.interval.pct} ({row.interval.low}–{row.interval.high})"


def outcome_lines(figure: m.OutcomeBars, width: int) -> list[Line]:
    """Stacked bars, a treatment a line, no wider than ``width`` where it can be: the counts
    beside the bar, else below it; on a narrow terminal the treatment on a line of its own."""
    label_w = max([len(b.treatment) for b in figure.bars] + [9]) + 2
    biggest = max([sum(b.counts.values()) for b in figure.bars] + [1])
    counts_w = max([len(_outcome_counts(b)) for b in figure.bars] + [0]) + 2
    label_alone = label_w + 20 > width
    prefix = 2 if label_alone else label_w
    inline = width - prefix - counts_w >= 20
    bar_w = max(10, min(60, width - prefix - (counts_w if inline else 0)))
    out: list[Line] = [[(figure.title, "bold")]]
    legend: Line = [("  ", "")]
    for outcome, glyph in GLYPHS.items():
        item = [(glyph * 2, m.PALETTE[outcome]), (f" {m.OUTCOME_LABELS[outcome]}   ", "")]
        if sum(len(text) for text, _ in legend + item) > width:  # the legend, too, on two lines
            out.append(legend)
            legend = [("  ", "")]
        legend += item
    out.append(legend)
    for bar in figure.bars:
        if label_alone:
            out.append([(bar.treatment, "")])
        line: Line = [(" " * prefix if label_alone else bar.treatment.ljust(label_w), "")]
        drawn = 0
        total = sum(bar.counts.values())
        for outcome, glyph in GLYPHS.items():
            length = round(bar_w * (drawn + bar.counts[outcome]) / biggest) - round(bar_w * drawn / biggest)
            drawn += bar.counts[outcome]
            line.append((glyph * length, m.PALETTE[outcome]))
        shown = round(bar_w * total / biggest)
        if inline:
            line.append((" " * (bar_w - shown) + "  " + _outcome_counts(bar), ""))
            out.append(line)
        else:
            indent = prefix if prefix + counts_w <= width else 2
            out.append(line)
            out += [[(" " * indent + part, "")] for part in textwrap.wrap(_outcome_counts(bar), width - indent)]
    out.append([(figure.provenance.caption(), "dim")])
    return out


def _outcome_counts(bar) -> str:
    counts = ", ".join(f"{bar.counts[o]} {m.OUTCOME_LABELS[o]}" for o in GLYPHS if bar.counts[o])
    return f"{sum(bar.counts.values())}: {counts}"


def map_rows(figure: m.EvidenceMap) -> tuple[list[dict[str, object]], list[str]]:
    """The evidence map as table rows: a treatment a row, a diagnosis a column, gaps as '·'."""
    rows = []
    for treatment in figure.treatments:
        row: dict[str, object] = {"treatment": treatment}
        for diagnosis in figure.diagnoses:
            cell = figure.cells.get((treatment, diagnosis))
            row[diagnosis] = _cell_text(cell, figure.color) if cell else GAP
        rows.append(row)
    return rows, ["treatment", *figure.diagnoses]


def _cell_text(cell: m.MapCell, color: str) -> str:
    patients = f"{_dot(cell.patients)} {cell.patients}"
    if color == "level":
        return f"{patients} (level {cell.best_level})"
    return f"{patients} ({cell.improved_pct}%)" if cell.improved_pct is not None else f"{patients} (none stated)"


def _plain(lines: list[Line]) -> str:
    return "".join("".join(text for text, _style in line).rstrip() + "\n" for line in lines)


def figure_text(figure, width: int = 100) -> str:
    """The figure as plain text (for a pipe)."""
    if isinstance(figure, m.EvidenceMap):
        from ..render.plain import render_plain

        rows, columns = map_rows(figure)
        return (
            f"{figure.title}\n" + render_plain(rows, columns) + _map_legend(figure) + figure.provenance.caption() + "\n"
        )
    lines = forest_lines(figure, width) if isinstance(figure, m.Forest) else outcome_lines(figure, width)
    return _plain(lines)


def _map_legend(figure: m.EvidenceMap) -> str:
    what = "best level of evidence" if figure.color == "level" else "share improved of those with a stated outcome"
    return (
        f"Cells: patients ({what}); {DOTS[0][1]} up to {DOTS[0][0]}, {DOTS[1][1]} up to {DOTS[1][0]}, "
        f"{BIG_DOT} more; {GAP} no rows.\n"
    )


def figure_renderable(figure, width: int):
    """The figure for a terminal: the same lines, coloured; the map as a table."""
    from rich.console import Group
    from rich.text import Text

    if isinstance(figure, m.EvidenceMap):
        from ..render.terminal import rows_renderable

        rows, columns = map_rows(figure)
        return Group(
            Text(figure.title, style="bold"),
            rows_renderable(width, rows, columns),
            Text(_map_legend(figure).rstrip(), style="dim"),
            Text(figure.provenance.caption(), style="dim"),
        )
    lines = forest_lines(figure, width) if isinstance(figure, m.Forest) else outcome_lines(figure, width)
    return Group(*(Text.assemble(*[(text, style) for text, style in line]) for line in lines))
