"""The PRISMA 2020 flow diagram: its model (the boxes of a reviewer's flow, laid out in the
bands Identification, Screening and Included, with the columns "via databases and registers",
"via other methods" and, for an updated review, "Previous studies"), its text and its drawing.
The wording is the PRISMA2020 package's (its template's box texts, or the reviewer's own)."""

from __future__ import annotations

import textwrap
from typing import NamedTuple

from ..model import flow as f
from ..prisma.read import shows_other, shows_previous
from .common import Line, plain


class FlowProvenance(NamedTuple):
    """Where a flow diagram's numbers come from: the reviewer's file, and the tool that checked them."""

    tool_version: str
    file: str
    sha256: str
    unchecked: int = 0  # failures drawn anyway (--no-check)

    def caption(self) -> str:
        checked = (
            f"{self.unchecked} of its sums do not add up (drawn with --no-check)"
            if self.unchecked
            else "its sums checked"
        )
        return (
            f"Numbers: the reviewer's, from {self.file} (sha256 {self.sha256[:12]}); {checked} by calcinosis "
            f"{self.tool_version}.\nLayout and wording: PRISMA 2020 (the PRISMA2020 package's template)."
        )


class Box(NamedTuple):
    key: str  # the template key of the box's first number (its anchor in the diagram)
    lines: tuple[str, ...]


class Row(NamedTuple):
    main: Box | None
    side: Box | None = None


class Block(NamedTuple):
    column: str  # "previous", "databases" or "other"
    title: str
    rows: tuple[Row, ...]
    onward: str = ""  # where the column goes on, when that is in another column


class Band(NamedTuple):
    title: str
    blocks: tuple[Block, ...]


class PrismaFigure(NamedTuple):
    flow: f.Flow
    bands: tuple[Band, ...]
    provenance: FlowProvenance
    title: str = "PRISMA 2020 flow diagram"
    kind: str = "prisma"


def _n(flow: f.Flow, key: str, text: str | None = None) -> str:
    number = flow.number(key)
    return f"{text or flow.text(key)} (n = {'' if number is None else f'{number:,}'})"


def _listed(flow: f.Flow, key: str, indent: str = "  ") -> list[str]:
    return [f"{indent}{name} (n = {n:,})" for name, n in flow.lists.get(key, ())]


def _identified(flow: f.Flow) -> Box:
    lines = ["Records identified from:"]
    for total, detail in (
        ("database_results", "database_specific_results"),
        ("register_results", "register_specific_results"),
    ):
        if flow.given(total):
            lines.append(_n(flow, total))
            lines += _listed(flow, detail)
        else:
            lines += _listed(flow, detail, "")
    return Box("database_results", tuple(lines))


def _removed(flow: f.Flow) -> Box:
    keys = [k for k in ("duplicates", "excluded_automatic", "excluded_other") if flow.given(k)]
    lines = ["Records removed before screening:"] + ([_n(flow, k) for k in keys] or ["(n = 0)"])
    return Box("duplicates", tuple(lines))


def _excluded(flow: f.Flow, key: str) -> Box:
    if key in flow.lists:
        return Box(key, (f"{flow.text(key)}:", *_listed(flow, key)))
    return Box(key, (_n(flow, key),))


def _one(flow: f.Flow, key: str) -> Box:
    return Box(key, (_n(flow, key),))


def layout(flow: f.Flow) -> tuple[Band, ...]:
    """The diagram's bands, each with its columns' boxes, in PRISMA 2020's order."""
    previous, other = shows_previous(flow), shows_other(flow)
    ident: list[Block] = []
    if previous:
        lines = [_n(flow, k) for k in ("previous_studies", "previous_reports") if flow.given(k)]
        ident.append(
            Block(
                "previous",
                flow.text("prevstud"),
                (Row(Box("previous_studies", tuple(lines))),),
                f.DEFAULT_TEXTS["total_studies"],
            )
        )
    ident.append(Block("databases", flow.text("newstud"), (Row(_identified(flow), _removed(flow)),)))
    if other:
        websites = [
            _n(flow, k) for k in ("website_results", "organisation_results", "citations_results") if flow.given(k)
        ]
        ident.append(
            Block(
                "other", flow.text("othstud"), (Row(Box("website_results", ("Records identified from:", *websites))),)
            )
        )
    screening = [
        Block(
            "databases",
            "Databases and registers",
            (
                Row(_one(flow, "records_screened"), _one(flow, "records_excluded")),
                Row(_one(flow, "dbr_sought_reports"), _one(flow, "dbr_notretrieved_reports")),
                Row(_one(flow, "dbr_assessed"), _excluded(flow, "dbr_excluded")),
            ),
        )
    ]
    if other:
        screening.append(
            Block(
                "other",
                "Other methods",
                (
                    Row(_one(flow, "other_sought_reports"), _one(flow, "other_notretrieved_reports")),
                    Row(_one(flow, "other_assessed"), _excluded(flow, "other_excluded")),
                ),
                flow.text("new_studies"),
            )
        )
    new = Box("new_studies", tuple(_n(flow, k) for k in ("new_studies", "new_reports") if flow.given(k)))
    rows = [Row(new)]
    if previous:
        rows.append(
            Row(Box("total_studies", tuple(_n(flow, k) for k in ("total_studies", "total_reports") if flow.given(k))))
        )
    included = [Block("databases", "", tuple(rows))]
    return (
        Band(flow.text("identification"), tuple(ident)),
        Band(flow.text("screening"), tuple(screening)),
        Band(flow.text("included"), tuple(included)),
    )


def build(flow: f.Flow, provenance: FlowProvenance) -> PrismaFigure:
    """The diagram of ``flow``."""
    return PrismaFigure(flow, layout(flow), provenance)


def boxes(figure: PrismaFigure) -> list[Box]:
    """Every box with a number, in reading order."""
    return [box for band in figure.bands for block in band.blocks for row in block.rows for box in row if box]


def alt_text(figure: PrismaFigure) -> str:
    """Every box's words and numbers, band by band, for readers who cannot see the diagram."""
    parts = []
    for band in figure.bands:
        inner = []
        for block in band.blocks:
            said = "; ".join(_spoken(box) for row in block.rows for box in row if box)
            inner.append(f"{block.title}: {said}" if block.title else said)
        parts.append(f"{band.title}. " + ". ".join(inner))
    return f"{figure.title}. " + ". ".join(parts) + "."


def _spoken(box: Box) -> str:
    out = ""
    for line in box.lines:
        out += line.strip() + (" " if line.endswith(":") else ", ")
    return out.rstrip(", ")


# --- as text -----------------------------------------------------------------------------------------

_ARROW = " ──▶ "


def _box_lines(box: Box, width: int) -> list[str]:
    inner = width - 4
    body: list[str] = []
    for line in box.lines:
        indent = len(line) - len(line.lstrip(" "))
        kept = line.replace("(n = ", "(n\u00a0=\u00a0")  # a number stays with its "(n ="
        wrapped = textwrap.wrap(kept, inner, subsequent_indent=" " * (indent + 2)) or [""]
        body += [part.replace("\u00a0", " ") for part in wrapped]
    top, bottom = "┌" + "─" * (width - 2) + "┐", "└" + "─" * (width - 2) + "┘"
    return [top, *(f"│ {text.ljust(inner)} │" for text in body), bottom]


def _row_lines(row: Row, width: int) -> list[str]:
    box_w = max(22, min(40, (width - len(_ARROW)) // 2))
    main = _box_lines(row.main, box_w) if row.main else []
    if row.side is None:
        return main
    side = _box_lines(row.side, box_w)
    height = max(len(main), len(side))
    middle = min(len(main), len(side)) // 2 if len(main) > 2 else 1
    out = []
    for i in range(height):
        left = main[i] if i < len(main) else " " * box_w
        arrow = _ARROW if i == middle else " " * len(_ARROW)
        out.append(left + arrow + (side[i] if i < len(side) else ""))
    return out


def lines(figure: PrismaFigure, width: int) -> list[Line]:
    """The diagram in text: a rule per band, a heading per column, boxes drawn with lines, an
    arrow down between the boxes of a column and across to a box's exclusions."""
    box_w = max(22, min(40, (width - len(_ARROW)) // 2))
    down = [" " * (box_w // 2) + "│", " " * (box_w // 2) + "▼"]
    out: list[Line] = [[(figure.title, "bold")]]
    for band in figure.bands:
        out.append([("", "")])
        rule = f"━━ {band.title} "
        out.append([(rule + "━" * max(3, min(width, 2 * box_w + len(_ARROW)) - len(rule)), "bold blue")])
        for number, block in enumerate(band.blocks):
            if number:
                out.append([("", "")])
            if block.title:
                out.append([(block.title, "bold")])
            for index, row in enumerate(block.rows):
                if index:
                    out += [[(text, "")] for text in down]
                out += [[(text, "")] for text in _row_lines(row, width)]
            if block.onward:
                out.append([(" " * (box_w // 2) + f"└──▶ {block.onward}", "dim")])
    out.append([("", "")])
    out += [[(part, "dim")] for part in textwrap.wrap(figure.provenance.caption(), max(40, width))]
    return out


def text(figure: PrismaFigure, width: int = 100) -> str:
    return plain(lines(figure, width))


# --- as a file -----------------------------------------------------------------------------------------

_BOX_W, _GAP, _STRIP, _LINE, _PAD, _WRAP = 2.4, 0.4, 0.45, 0.135, 0.08, 46
_TITLE_COLOURS = {"previous": "#DCDCDC", "databases": "#FFC125", "other": "#DCDCDC"}  # the package's colours
_BAND_COLOUR = "#BCD2EE"


def _wrapped(box: Box) -> str:
    out = []
    for line in box.lines:
        indent = len(line) - len(line.lstrip(" "))
        kept = line.replace("(n = ", "(n\u00a0=\u00a0")
        out += [p.replace("\u00a0", " ") for p in textwrap.wrap(kept, _WRAP, subsequent_indent=" " * (indent + 2))]
    return "\n".join(out)


def _grid(figure: PrismaFigure) -> tuple[dict, dict]:
    """Each box's (row, column) and each column's title, as the PRISMA2020 package places them."""
    columns: list[str] = []
    titles: dict[str, str] = {}
    for block in figure.bands[0].blocks:
        columns += [block.column] if block.column == "previous" else [block.column, block.column + "+"]
        titles[block.column] = block.title
    cells: dict[tuple[int, str], Box] = {}
    ident, screening, included = figure.bands
    for block in ident.blocks:
        row = block.rows[0]
        cells[(1, block.column)] = row.main  # type: ignore[assignment]
        if row.side:
            cells[(1, block.column + "+")] = row.side
    for block in screening.blocks:
        first = 2 if block.column == "databases" else 3
        for index, row in enumerate(block.rows):
            cells[(first + index, block.column)] = row.main  # type: ignore[assignment]
            cells[(first + index, block.column + "+")] = row.side  # type: ignore[assignment]
    for index, row in enumerate(included.blocks[0].rows):
        cells[(5 + index, "databases")] = row.main  # type: ignore[assignment]
    return {"columns": columns, "titles": titles}, cells


def draw(Figure, figure: PrismaFigure, width, height):
    from matplotlib.patches import FancyBboxPatch, Rectangle

    meta, cells = _grid(figure)
    columns = meta["columns"]
    texts = {at: _wrapped(box) for at, box in cells.items()}
    rows = sorted({row for row, _col in cells} | {0})
    heights = {0: 0.36}
    for row in rows[1:]:
        heights[row] = max(t.count("\n") + 1 for (r, _c), t in texts.items() if r == row) * _LINE + 2 * _PAD
    top, bottom = 0.5, 0.6
    y_of, y = {}, top
    for row in rows:
        y_of[row] = y
        y += heights[row] + 0.3
    total_h = y - 0.3 + bottom
    x_of = {col: _STRIP + 0.2 + i * (_BOX_W + _GAP) for i, col in enumerate(columns)}
    total_w = x_of[columns[-1]] + _BOX_W + 0.2
    fig = Figure(figsize=(width or total_w, height or total_h))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, total_w)
    ax.set_ylim(total_h, 0)
    ax.axis("off")
    for column, title in meta["titles"].items():
        span = _BOX_W if column == "previous" else 2 * _BOX_W + _GAP
        ax.add_patch(
            FancyBboxPatch(
                (x_of[column], y_of[0]),
                span,
                heights[0],
                boxstyle="round,pad=0,rounding_size=0.08",
                facecolor=_TITLE_COLOURS[column],
                edgecolor="none",
            )
        )
        ax.text(x_of[column] + span / 2, y_of[0] + heights[0] / 2, title, ha="center", va="center", fontsize=8)
    for (row, column), box in cells.items():
        if box is None:
            continue
        x, y0 = x_of[column], y_of[row]
        ax.add_patch(Rectangle((x, y0), _BOX_W, heights[row], facecolor="white", edgecolor="black", linewidth=0.8))
        ax.text(x + _PAD, y0 + _PAD, texts[(row, column)], ha="left", va="top", fontsize=7, linespacing=1.25)
    bands = figure.bands
    last = max(rows)
    for band, (first, end) in zip(bands, ((1, 1), (2, 4), (5, last)), strict=True):
        y0, y1 = y_of[first], y_of[end] + heights[end]
        ax.add_patch(
            FancyBboxPatch(
                (0.15, y0),
                _STRIP - 0.15,
                y1 - y0,
                boxstyle="round,pad=0,rounding_size=0.08",
                facecolor=_BAND_COLOUR,
                edgecolor="none",
            )
        )
        ax.text(
            0.15 + (_STRIP - 0.15) / 2, (y0 + y1) / 2, band.title, rotation=90, ha="center", va="center", fontsize=8
        )

    def arrow(points: list[tuple[float, float]]) -> None:
        for (xa, ya), (xb, yb) in zip(points[:-2], points[1:-1], strict=True):
            ax.plot([xa, xb], [ya, yb], color="black", linewidth=0.8)
        ax.annotate(
            "",
            xy=points[-1],
            xytext=points[-2],
            arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 0.8, "shrinkA": 0, "shrinkB": 0},
        )

    def mid(row: int) -> float:
        return y_of[row] + heights[row] / 2

    for (row, column), box in cells.items():
        if box is None or column.endswith("+") or column == "previous":
            continue
        if cells.get((row, column + "+")) is not None:
            arrow([(x_of[column] + _BOX_W, mid(row)), (x_of[column + "+"], mid(row))])
    centre = {col: x_of[col] + _BOX_W / 2 for col in columns}
    chain = [r for r in rows[1:] if cells.get((r, "databases")) is not None]
    for a, b in zip(chain, chain[1:], strict=False):
        arrow([(centre["databases"], y_of[a] + heights[a]), (centre["databases"], y_of[b])])
    if "other" in x_of:
        for a, b in ((1, 3), (3, 4)):
            arrow([(centre["other"], y_of[a] + heights[a]), (centre["other"], y_of[b])])
        arrow(
            [(centre["other"], y_of[4] + heights[4]), (centre["other"], mid(5)), (x_of["databases"] + _BOX_W, mid(5))]
        )
    if "previous" in x_of:
        arrow([(centre["previous"], y_of[1] + heights[1]), (centre["previous"], mid(6)), (x_of["databases"], mid(6))])
    return fig, "Boxes, wording and arrows as in PRISMA 2020; every number is the reviewer's."
