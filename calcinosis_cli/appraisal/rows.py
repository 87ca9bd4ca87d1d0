"""The appraisals as rows (one per settled appraisal: an answer per item, the reviewer's overall
judgement, how many items got each answer) and as the CSV that robvis's Generic template reads.

robvis (mcguinlu/robvis, R/helpers.R ``clean_data`` and R/rob_traffic_light.R, read at commit
c7c1bdd) reduces each judgement to the first letter of each word, lower-cased, then to its first
letter; "na", "n" and missing become "x" (not applicable); the Generic template then reads "u"
(Unclear) and "m" (Moderate) both as "s", drawn with one colour and one symbol. The levels we
write: yes -> Low, no -> High, unclear -> Unclear, not applicable -> Not applicable (which robvis
reads as "x", grey, no symbol). The overall column carries the reviewer's own judgement
capitalised (Low, Moderate, High, Unclear), or "No information" where the reviewer gave none.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from .. import model
from . import settled
from .tools import tools_of

ROBVIS_LEVELS = {"yes": "Low", "no": "High", "unclear": "Unclear", "not applicable": "Not applicable"}
ROBVIS_OVERALL = {"low": "Low", "moderate": "Moderate", "high": "High", "unclear": "Unclear"}
NO_INFORMATION = "No information"

BASE_COLUMNS = {
    "study": "id of the study appraised",
    "tool": "the appraisal tool",
    "reviewer": f"the reviewer ({model.CONSENSUS}: the settled record of two reviewers)",
    "date": "when the appraisal was made",
}
TAIL_COLUMNS = {
    "overall": "the reviewer's own overall judgement (never computed from the answers)",
    "overall_reason": "the reviewer's reason for the overall judgement",
    "yes": "items answered yes (a count, not a score)",
    "no": "items answered no",
    "unclear": "items answered unclear",
    "not_applicable": "items answered not applicable",
    "support": "each item's supporting quote or reason, as 'item: text'",
    "origin": "file and line of the entry",
}


def item_count(ds: model.Dataset, entries: Sequence[model.Appraisal]) -> int:
    tools = tools_of(ds.tools)
    return max([len(tools[e.tool].items) for e in entries if e.tool in tools] + [0])


def columns(ds: model.Dataset, entries: Sequence[model.Appraisal]) -> dict[str, str]:
    """Every column of the appraisal rows, an item column per item of the widest tool."""
    items = {f"q{n}": f"the answer to item {n} of the tool" for n in range(1, item_count(ds, entries) + 1)}
    return {**BASE_COLUMNS, **items, **TAIL_COLUMNS}


def appraisal_row(ds: model.Dataset, entry: model.Appraisal, width: int) -> dict[str, object]:
    """One appraisal as plain values; items the tool lacks are empty."""
    row: dict[str, object] = {"study": entry.study, "tool": entry.tool, "reviewer": entry.reviewer, "date": entry.date}
    by_item = {a.item: a for a in entry.answers}
    for number in range(1, width + 1):
        answer = by_item.get(number)
        row[f"q{number}"] = answer.answer if answer else None
    row["overall"] = entry.overall
    row["overall_reason"] = entry.overall_reason
    for answer in model.ANSWERS:
        row[answer.replace(" ", "_")] = sum(1 for a in entry.answers if a.answer == answer)
    row["support"] = [f"{a.item}: {a.support}" for a in entry.answers if a.support]
    row["origin"] = entry.origin
    return row


def appraisal_rows(ds: model.Dataset, study_ids: Sequence[str], tool: str | None = None) -> list[dict[str, object]]:
    """The settled appraisals of the studies ``study_ids`` (in dataset order), of ``tool`` if given."""
    order = {sid: i for i, sid in enumerate(study_ids)}
    entries = [e for e in settled(ds, study_ids) if tool is None or e.tool == tool]
    entries.sort(key=lambda e: order[e.study])
    width = item_count(ds, entries)
    return [appraisal_row(ds, e, width) for e in entries]


def study_label(entry: model.Appraisal, shared: bool) -> str:
    """A study's label in a figure or robvis sheet; a reviewer's initials where the study has
    several unsettled entries."""
    return f"{entry.study} ({entry.reviewer})" if shared else entry.study


def labelled(entries: Sequence[model.Appraisal]) -> list[tuple[str, model.Appraisal]]:
    counts: dict[str, int] = {}
    for e in entries:
        counts[e.study] = counts.get(e.study, 0) + 1
    return [(study_label(e, counts[e.study] > 1), e) for e in entries]


def robvis_csv(ds: model.Dataset, entries: Sequence[model.Appraisal]) -> str:
    """The CSV robvis's Generic template reads: ``Study,D1..Dn,Overall``, one row per study."""
    tools = {e.tool for e in entries}
    if len(tools) > 1:
        from ..errors import UsageError

        raise UsageError(
            f"robvis draws one tool at a time; the selection holds {', '.join(sorted(tools))}: choose one with --tool"
        )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if not entries:
        writer.writerow(["Study", "Overall"])
        return out.getvalue()
    tool = tools_of(ds.tools)[next(iter(tools))]
    numbers = [item.number for item in tool.items]
    writer.writerow(["Study", *(f"D{i}" for i in range(1, len(numbers) + 1)), "Overall"])
    for label, entry in labelled(entries):
        by_item = {a.item: a.answer for a in entry.answers}
        cells = [ROBVIS_LEVELS.get(by_item.get(n, ""), NO_INFORMATION) for n in numbers]
        overall = ROBVIS_OVERALL.get(entry.overall or "", NO_INFORMATION)
        writer.writerow([label, *cells, overall])
    return out.getvalue()
