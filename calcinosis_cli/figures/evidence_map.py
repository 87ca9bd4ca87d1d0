"""The evidence map: treatments by diagnoses, a circle per crossing sized by patients and coloured
by share improved or by best level of evidence; an empty crossing stays a gap. Its model, its
text (a table) and its drawing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from .. import model
from .common import GAP, LEVEL_COLOURS, dot, dots_legend, provenance_of


class MapCell(NamedTuple):
    patients: int
    studies: int
    improved_pct: float | None
    best_level: str | None


class EvidenceMap(NamedTuple):
    treatments: tuple[str, ...]  # rows
    diagnoses: tuple[str, ...]  # columns
    cells: dict[tuple[str, str], MapCell]  # (treatment, diagnosis); absent pairs are gaps
    color: str  # "improved" or "level"
    provenance: model.Provenance
    title: str
    kind: str = "map"


def build(ds: model.Dataset, studies: Sequence[model.Study], color: str = "improved") -> EvidenceMap:
    """Treatments by diagnoses: patients, studies, share improved and best level per pair."""
    from ..analysis.levels import level_for, level_rank
    from ..analysis.tally import group_order, group_studies

    rows = group_studies(ds, studies, ("treatment", "diagnosis"))
    cells = {}
    for row in rows:
        members = [ds.study(i) for i in row["row_ids"]]  # type: ignore[union-attr]
        levels = sorted({level_for(s.design) for s in members}, key=level_rank)
        cells[(str(row["treatment"]), str(row["diagnosis"]))] = MapCell(
            int(row["patients"]),
            int(row["studies"]),
            row["improved_pct"],
            levels[0] if levels else None,  # type: ignore[arg-type]
        )
    treatments = tuple(sorted({t for t, _ in cells}, key=group_order("treatment")))
    diagnoses = tuple(sorted({d for _, d in cells}, key=lambda d: (d == "(not stated)", " + " in d, d.casefold())))
    title = "Evidence map: patients per treatment and diagnosis" + (
        ", coloured by best level of evidence" if color == "level" else ", coloured by share improved"
    )
    return EvidenceMap(treatments, diagnoses, cells, color, provenance_of(ds), title)


def alt_text(figure: EvidenceMap) -> str:
    """What the map shows, in words and numbers, for readers who cannot see it."""
    rows = []
    for treatment in figure.treatments:
        cells = [
            f"{diagnosis} {cell.patients}"
            + (
                f" ({cell.improved_pct}% improved)"
                if cell.improved_pct is not None and figure.color == "improved"
                else ""
            )
            + (f" (level {cell.best_level})" if figure.color == "level" else "")
            for diagnosis in figure.diagnoses
            if (cell := figure.cells.get((treatment, diagnosis))) is not None
        ]
        rows.append(f"{treatment}: {', '.join(cells)}")
    return "Evidence map of patients per treatment and diagnosis. " + "; ".join(rows) + "."


# --- as text -------------------------------------------------------------------------------------


def map_rows(figure: EvidenceMap) -> tuple[list[dict[str, object]], list[str]]:
    """The evidence map as table rows: a treatment a row, a diagnosis a column, gaps as '·'."""
    rows = []
    for treatment in figure.treatments:
        row: dict[str, object] = {"treatment": treatment}
        for diagnosis in figure.diagnoses:
            cell = figure.cells.get((treatment, diagnosis))
            row[diagnosis] = _cell_text(cell, figure.color) if cell else GAP
        rows.append(row)
    return rows, ["treatment", *figure.diagnoses]


def _cell_text(cell: MapCell, color: str) -> str:
    patients = f"{dot(cell.patients)} {cell.patients}"
    if color == "level":
        return f"{patients} (level {cell.best_level})"
    return f"{patients} ({cell.improved_pct}%)" if cell.improved_pct is not None else f"{patients} (none stated)"


def _map_legend(figure: EvidenceMap) -> str:
    what = "best level of evidence" if figure.color == "level" else "share improved of those with a stated outcome"
    return f"Cells: patients ({what}); {dots_legend()}; {GAP} no rows.\n"


def text(figure: EvidenceMap, width: int = 100) -> str:
    """The map as plain text; wider than ``width``, split into parts of whole diagnosis columns,
    each led by the treatment, so that it stays a table."""
    from ..render.one_line import column_parts
    from ..render.plain import plain_width, render_plain

    rows, columns = map_rows(figure)
    parts = column_parts(columns, lambda shown: plain_width(rows, shown) <= width) or [columns]
    tables = "\n".join(render_plain(rows, part) for part in parts)
    notes = [_map_legend(figure).rstrip(), figure.provenance.caption()]
    if len(parts) > 1:  # split for the width: the notes wrap at spaces too
        import textwrap

        notes = [textwrap.fill(note, width, break_long_words=False, break_on_hyphens=False) for note in notes]
    return f"{figure.title}\n" + tables + "\n".join(notes) + "\n"


def renderable(figure: EvidenceMap, width: int):
    """The map for a terminal: a table, a treatment a row; split into parts of whole diagnosis
    columns where one table would not fit on a line a treatment."""
    from rich.console import Group
    from rich.text import Text

    from ..render.one_line import column_parts
    from ..render.terminal import fits_one_line, rows_renderable

    rows, columns = map_rows(figure)
    parts = column_parts(columns, lambda shown: fits_one_line(rows, shown, width)) or [columns]
    tables: list = []
    for part in parts:
        tables += [Text("")] if tables else []
        tables.append(rows_renderable(width, rows, part))
    return Group(
        Text(figure.title, style="bold"),
        *tables,
        Text(_map_legend(figure).rstrip(), style="dim"),
        Text(figure.provenance.caption(), style="dim"),
    )


# --- as a file ---------------------------------------------------------------------------------------


def draw(Figure, figure: EvidenceMap, width, height):
    from ..analysis.levels import CEBM_2009_ORDER

    rows, cols = figure.treatments, figure.diagnoses
    fig = Figure(figsize=(width or max(6.5, 1.6 + 1.05 * len(cols)), height or 1.9 + 0.42 * len(rows)))
    ax = fig.add_axes((0.3, 0.26, 0.6 if figure.color == "improved" else 0.52, 0.64))
    biggest = max((c.patients for c in figure.cells.values()), default=1)
    for i in range(len(cols)):
        ax.axvline(i, color="#EEEEEE", linewidth=0.6, zorder=0)
    for j in range(len(rows)):
        ax.axhline(j, color="#EEEEEE", linewidth=0.6, zorder=0)
    xs, ys, sizes, colours = [], [], [], []
    for (treatment, diagnosis), cell in figure.cells.items():
        x, y = cols.index(diagnosis), len(rows) - 1 - rows.index(treatment)
        xs.append(x)
        ys.append(y)
        sizes.append(40 + 900 * cell.patients / biggest)  # circle area proportional to patients
        if figure.color == "level":
            colours.append(LEVEL_COLOURS.get(cell.best_level or "", "#999999"))
        else:
            colours.append(cell.improved_pct if cell.improved_pct is not None else float("nan"))
        ax.text(x, y, str(cell.patients), ha="center", va="center", fontsize=7, color="black", zorder=4)
    if figure.color == "level":
        ax.scatter(xs, ys, s=sizes, c=colours, alpha=0.85, edgecolors="#333333", linewidths=0.5, zorder=3)
        from matplotlib.lines import Line2D

        shown = sorted({c.best_level for c in figure.cells.values() if c.best_level}, key=CEBM_2009_ORDER.index)
        handles = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=8,
                color=LEVEL_COLOURS.get(level, "#999999"),
                label=f"level {level}",
            )
            for level in shown
        ]
        ax.legend(
            handles=handles,
            title="Best level (CEBM 2009)",
            loc="upper left",
            bbox_to_anchor=(1.01, 1),
            fontsize=7,
            title_fontsize=7,
            frameon=False,
        )
    else:
        import matplotlib

        cmap = matplotlib.colormaps["viridis"].with_extremes(bad="#BBBBBB")
        points = ax.scatter(
            xs,
            ys,
            s=sizes,
            c=colours,
            cmap=cmap,
            vmin=0,
            vmax=100,
            alpha=0.9,
            edgecolors="#333333",
            linewidths=0.5,
            zorder=3,
            plotnonfinite=True,
        )
        bar = fig.colorbar(points, ax=ax, fraction=0.04, pad=0.02)
        bar.set_label("Improved, % with a stated outcome (grey: none stated)", fontsize=7)
    ax.set_xticks(range(len(cols)), [_wrap(c) for c in cols], rotation=30, ha="right", fontsize=7.5)
    ax.set_yticks(range(len(rows)), list(reversed(rows)), fontsize=8)
    ax.set_xlim(-0.6, len(cols) - 0.4)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.tick_params(length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    return fig, "Circle area: patients who received the treatment (the number inside). An empty crossing: no rows."


def _wrap(text: str, width: int = 18) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text
