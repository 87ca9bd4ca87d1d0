"""One study in full: Markdown text, or a rich panel for a terminal."""

from __future__ import annotations

from ..model import outcome_counts_text
from .cells import cell_text, visible
from .markdown import escape_inline, render_markdown_table

# Fields shown in the head of a study, in this order, with their labels.
HEAD_FIELDS = (
    ("id", "ID"),
    ("treatment_printed", "Treatment (printed)"),
    ("treatment", "Treatment"),
    ("class", "Class"),
    ("dose", "Dose"),
    ("phase", "Phase"),
    ("n", "N"),
    ("treated", "Treated"),
    ("unassigned", "In no arm"),
    ("diagnosis", "Diagnosis (printed)"),
    ("diagnoses", "Diagnoses"),
    ("outcome", "Outcome (printed)"),
    ("footnote", "Footnote"),
    ("improved", "Improved"),
    ("unchanged", "Unchanged"),
    ("worsened", "Worsened"),
    ("not_improved", "Not improved"),
    ("not_stated", "Not stated"),
    ("shared_tally", "Tally (shared)"),
    ("alternative_reading", "Another reading"),
    ("tally_covers", "Tally covers"),
    ("outcome_measures", "Outcome measures"),
    ("design", "Design"),
    ("level", "Level (CEBM 2009, the tool's reading)"),
    ("level_reason", "Why this level"),
    ("source", "Source"),
    ("table_row", "Table 1 row"),
    ("reference_printed", "Reference (printed)"),
    ("reference_kind", "Reference kind"),
    ("citation", "Citation"),
)
# Marks a field whose value is the tool's word, not the source's.
TOOL_MARK = " (calcinosis vocabulary)"
TOOL_FIELDS = {
    "treatment": "treatment",
    "class": "class",
    "diagnoses": "diagnoses",
    "design": "design",
    "reference_kind": "kind",
}


def _footnote_value(detail: dict[str, object]) -> str:
    marker, text = detail.get("footnote_marker"), detail.get("footnote")
    return f"{marker} {text}" if marker and text else ""


def _head(detail: dict[str, object]) -> list[tuple[str, str]]:
    tool = set(detail.get("tool_vocabulary") or ())  # type: ignore[arg-type]
    out = []
    for key, label in HEAD_FIELDS:
        value = _footnote_value(detail) if key == "footnote" else cell_text(detail.get(key))
        if value:
            out.append((label + (TOOL_MARK if TOOL_FIELDS.get(key) in tool else ""), value))
    return out


def _later_line(entry: dict) -> str:
    qualifiers = []
    if entry.get("level"):
        qualifiers.append(f"level {entry['level']} as graded by the review")
    if entry.get("via_class"):
        qualifiers.append("about the treatment's class")
    if entry.get("scope"):
        where = "; shown qualified: this row's diagnosis is broader or not stated" if entry.get("qualified") else ""
        qualifiers.append(f"it concerns {entry['scope']} only{where}")
    inside = f" ({'; '.join(qualifiers)})" if qualifiers else ""
    return f"{entry['text']}{inside} {entry['citation']}"


def _arm_line(arm: dict) -> str:
    counts = outcome_counts_text(arm)
    counted = "counted as treated" if arm["counted"] else "a control arm: never counted as treated"
    return f"{arm['label']}: received {arm['received']}, {arm['n']} patients: {counts or 'no outcomes'} ({counted})"


def _arm_lines(detail: dict[str, object]) -> list[str]:
    lines = [_arm_line(arm) for arm in detail.get("arms") or []]  # type: ignore[union-attr]
    unassigned = detail.get("unassigned")
    if unassigned:
        patients = "1 patient" if unassigned == 1 else f"{unassigned} patients"
        lines.append(f"{patients} of N = {detail['n']} in no arm the source reports (not counted, not guessed)")
    return lines


def _sections(detail: dict[str, object]) -> list[tuple[str, list[str]]]:
    sections = [
        ("Arms", _arm_lines(detail)),
        ("Notes", [str(n) for n in detail.get("notes") or []]),
        ("Quirks of the source", [str(q) for q in detail.get("quirks") or []]),
        ("About the reference", [str(n) for n in detail.get("reference_notes") or []]),
    ]
    later = detail.get("later_evidence")
    if later:
        sections.append(
            (
                "Later evidence",
                [_later_line(e) for e in later],  # type: ignore[union-attr]
            )
        )
    return [(title, items) for title, items in sections if items]


def render_detail_markdown(detail: dict[str, object]) -> str:
    """A study as a Markdown section: a field table, then notes, quirks, cases, later evidence."""
    lines = [f"## {escape_inline(str(detail['id']))}", ""]
    lines.append(render_markdown_table([{"field": k, "value": v} for k, v in _head(detail)], ["field", "value"]))
    for title, items in _sections(detail):
        lines += [f"### {title}", ""] + [f"- {escape_inline(i)}" for i in items] + [""]
    cases = detail.get("cases")
    if cases:
        columns = ["case", "age_years", "sex", "ssc_subtype", "largest_lesion_cm", "dose", "response"]
        lines += ["### Cases", "", render_markdown_table(cases, columns)]  # type: ignore[arg-type]
    return "\n".join(lines).rstrip("\n") + "\n"


def detail_panel(detail: dict[str, object]):
    """A rich Panel of the study; every value is Text, so brackets in data stay literal."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in _head(detail):
        grid.add_row(Text(label), Text(visible(value)))
    parts: list[object] = [grid]
    for title, items in _sections(detail):
        parts.append(Text(""))
        parts.append(Text(title, style="bold underline"))
        parts.extend(Text("• " + visible(i)) for i in items)
    cases = detail.get("cases")
    if cases:
        from .terminal import rows_table

        parts += [Text(""), Text("Cases", style="bold underline")]
        parts.append(
            rows_table(cases, ["case", "age_years", "sex", "ssc_subtype", "largest_lesion_cm", "dose", "response"])
        )  # type: ignore[arg-type]
    return Panel(Group(*parts), title=Text(str(detail["id"])), expand=False)
