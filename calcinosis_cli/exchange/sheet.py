"""The extraction sheet: one row per study, one column per input field (csv).

Written by `export --format csv` and read by `import`. The form, chosen for spreadsheets:
- UTF-8 with a byte-order mark (so Excel reads the accents), commas, CRLF, RFC 4180 quoting
  (read back also with semicolons or tabs, as spreadsheets in some languages save it);
- list fields (diagnoses, outcome_measures, tally_covers) as "a; b"; notes one per line in the cell;
- a tally as tally_improved ... tally_not_stated (tally_covers only when it covers other rows
  too), another reading as alternative_*, arms as arm1_label, arm1_received, arm1_n,
  arm1_improved ... arm1_notes, then arm2_..., as many as a row needs (at least two);
- the footnote its marker points to as footnote (the marker) and footnote_text;
- class: the treatment's class (on import, it declares a treatment the vocabulary lacks).
Reading builds the tree a YAML data file would give, each value positioned at its row and
column, so that the loader's own checks report problems at the sheet's cells.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import NamedTuple

from .. import model
from ..dataset.files import Undecodable, decode_utf8
from ..dataset.tree import Mapping, Node, Scalar
from ..dataset.tree import Sequence as YSequence
from ..errors import Problem

LIST_SEPARATOR = "; "
STUDY_COLUMNS = (
    "id",
    "source",
    "table_row",
    "treatment_printed",
    "treatment",
    "class",
    "dose",
    "phase",
    "n",
    "diagnosis_printed",
    "diagnoses",
    "outcome_printed",
    "footnote",
    "footnote_text",
    "reference_printed",
    "reference",
    "spans_from",
    "design",
)
TALLY_COLUMNS = tuple(f"tally_{o}" for o in model.OUTCOMES) + ("tally_covers",)
ALTERNATIVE_COLUMNS = tuple(f"alternative_{o}" for o in model.OUTCOMES)
ARM_FIELDS = ("label", "received", "n", *model.OUTCOMES, "notes")
TAIL_COLUMNS = ("outcome_measures", "notes")
LIST_COLUMNS = ("diagnoses", "tally_covers", "outcome_measures")
REQUIRED_COLUMNS = ("id", "treatment_printed", "treatment", "n", "reference", "design")


def sheet_columns(arms: int = 2) -> list[str]:
    """Every column, with ``arms`` sets of arm columns."""
    arm_columns = [f"arm{i}_{f}" for i in range(1, arms + 1) for f in ARM_FIELDS]
    return [*STUDY_COLUMNS, *TALLY_COLUMNS, *ALTERNATIVE_COLUMNS, *arm_columns, *TAIL_COLUMNS]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def study_cells(ds: model.Dataset, study: model.Study, arms: int) -> dict[str, str]:
    """A study's input fields as sheet cells."""
    treatment = ds.treatments.get(study.treatment)
    cells = {
        "id": study.id,
        "source": study.source,
        "table_row": _text(study.table_row),
        "treatment_printed": study.treatment_printed,
        "treatment": study.treatment,
        "class": treatment.treatment_class if treatment else "",
        "dose": _text(study.dose),
        "phase": _text(study.phase),
        "n": str(study.n),
        "diagnosis_printed": _text(study.diagnosis_printed),
        "diagnoses": LIST_SEPARATOR.join(study.diagnoses),
        "outcome_printed": _text(study.outcome_printed),
        "footnote": study.footnote.marker if study.footnote else "",
        "footnote_text": study.footnote.text if study.footnote else "",
        "reference_printed": _text(study.reference_printed),
        "reference": study.reference,
        "spans_from": _text(study.spans_from),
        "design": study.design,
        "outcome_measures": LIST_SEPARATOR.join(study.outcome_measures),
        "notes": "\n".join(study.notes),
    }
    tally = study.tally
    for outcome in model.OUTCOMES:
        cells[f"tally_{outcome}"] = str(tally.count(outcome)) if tally else ""
        alternative = tally.alternative if tally else None
        cells[f"alternative_{outcome}"] = str(alternative.count(outcome)) if alternative else ""
    covers = tally.covers if tally else ()
    cells["tally_covers"] = LIST_SEPARATOR.join(covers) if covers and covers != (study.id,) else ""
    for i in range(1, arms + 1):
        arm = study.arms[i - 1] if i <= len(study.arms) else None
        values = (
            (arm.label, arm.received, arm.n, *(arm.tally.count(o) for o in model.OUTCOMES), "\n".join(arm.notes))
            if arm
            else ("",) * len(ARM_FIELDS)
        )
        cells.update({f"arm{i}_{f}": _text(v) for f, v in zip(ARM_FIELDS, values, strict=True)})
    return cells


def empty_sheet() -> bytes:
    """An extraction sheet with its header row only (what `new FILE.csv` writes)."""
    return render_sheet(None, ())


def render_sheet(ds: model.Dataset | None, studies: Sequence[model.Study] | None = None) -> bytes:
    """The studies as an extraction sheet: UTF-8 with a byte-order mark, CRLF line ends."""
    studies = ds.studies if studies is None and ds is not None else studies or ()
    arms = max([2, *(len(s.arms) for s in studies)])
    columns = sheet_columns(arms)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for study in studies:
        cells = study_cells(ds, study, arms)
        writer.writerow([cells[c] for c in columns])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


# --- reading a sheet --------------------------------------------------------------------------


class Sheet(NamedTuple):
    """A sheet read into the tree of a data file, and what the importer needs besides."""

    tree: Node
    columns: list[str]  # header names, by 1-based column number - 1
    classes: list[tuple[str, str, int, int]]  # (treatment, class, row, column) where a class is given
    problems: list[Problem]  # each at "row N, column NAME"


def _scalar(value: str, row: int, column: int) -> Scalar:
    return Scalar(value, row, column, True, False)


def _items(pairs: list[tuple[str, Node]], row: int, column: int) -> Mapping:
    return Mapping({key: (_scalar(key, row, column), node) for key, node in pairs}, row, column)


def _list(value: str, row: int, column: int, separator: str = ";") -> YSequence:
    parts = [part.strip() for part in value.split(separator)]
    return YSequence(tuple(_scalar(p, row, column) for p in parts if p), row, column)


def known_columns(header: Sequence[str]) -> set[str]:
    """The columns a sheet may have: the fixed ones, and arm columns of any number."""
    arms = max([2, *(int(h[3 : h.index("_")]) for h in header if _is_arm_column(h))])
    return set(sheet_columns(arms))


def _is_arm_column(name: str) -> bool:
    head, _, field = name.partition("_")
    return head.startswith("arm") and head[3:].isdigit() and field in ARM_FIELDS


def _delimiter(text: str) -> str:
    """The header line's separator: a comma, or the semicolon a spreadsheet set to a language
    with decimal commas writes, or a tab."""
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: (counts[sep], sep == ","))


def read_sheet(path: str, data: bytes) -> Sheet:
    """The sheet's rows as a data file's tree (studies and their footnotes), every value at its
    row (line) and column; header and footnote problems apart."""
    from ..words import did_you_mean

    problems: list[Problem] = []
    whole = Problem(path, None, None, "")  # a problem of the sheet as a whole
    decoded = decode_utf8(data)
    if isinstance(decoded, Undecodable):
        if decoded.looks_like:
            message = f"the sheet is {decoded.looks_like}; save it as UTF-8 csv"
        else:
            message = f"not UTF-8 (byte 0x{decoded.byte:02x} at offset {decoded.offset}); save the sheet as UTF-8 csv"
        return Sheet(Mapping({}, 1, 1), [], [], [whole._replace(message=message)])
    text = decoded[0]
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    if not rows or not any(cell.strip() for cell in rows[0]):
        return Sheet(Mapping({}, 1, 1), [], [], [whole._replace(message="the sheet is empty: no header row")])
    header = [cell.strip() for cell in rows[0]]

    def at(row: int, column: str | None, message: str) -> Problem:
        number = header.index(column) + 1 if column in header else 0
        return Problem(path, row, number, message, f"row {row}" + (f", column {column}" if column else ""))

    allowed = known_columns(header)
    for index, name in enumerate(header, 1):
        if name and name not in allowed:
            hint = did_you_mean(name, sorted(allowed))
            problems.append(at(1, name, f"unknown column {name!r}{hint}"))
        elif header.count(name) > 1 and header.index(name) + 1 != index:
            problems.append(at(1, name, f"the column {name!r} appears twice"))
    for name in REQUIRED_COLUMNS:
        if name not in header:
            problems.append(at(1, None, f"the sheet has no column {name!r}"))
    studies: list[Node] = []
    footnotes: dict[str, tuple[str, int, int]] = {}
    classes: list[tuple[str, str, int, int]] = []
    for number, cells in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line between rows
        if len(cells) > len(header):
            problems.append(at(number, None, f"the row has {len(cells)} cells, the header {len(header)}"))
        row = {name: (cells[i].strip(), i + 1) for i, name in enumerate(header) if name and i < len(cells)}
        studies.append(_study(row, number, footnotes, classes, problems, at))
    tree_items: list[tuple[str, Node]] = [("studies", YSequence(tuple(studies), 1, 0))]
    if footnotes:
        notes = [
            _items([("marker", _scalar(marker, r, c)), ("text", _scalar(text, r, c))], r, c)
            for marker, (text, r, c) in footnotes.items()
        ]
        tree_items.insert(0, ("footnotes", YSequence(tuple(notes), 1, 0)))
    return Sheet(_items(tree_items, 1, 0), header, classes, problems)


def _study(row: dict[str, tuple[str, int]], number: int, footnotes, classes, problems, at) -> Mapping:
    pairs: list[tuple[str, Node]] = []
    if "source" not in row or not row["source"][0]:
        pairs.append(("source", _scalar("user", number, 1)))  # a reviewer's own row
    for name in STUDY_COLUMNS:
        value, column = row.get(name, ("", 0))
        if not value or name in ("class", "footnote_text"):
            continue
        node = _list(value, number, column) if name in LIST_COLUMNS else _scalar(value, number, column)
        pairs.append((name, node))
    treatment, klass = row.get("treatment", ("", 0))[0], row.get("class", ("", 0))
    if treatment and klass[0]:
        classes.append((treatment, klass[0], number, klass[1]))
    marker, column = row.get("footnote", ("", 0))
    text = row.get("footnote_text", ("", 0))[0]
    if marker:
        if not text and marker not in footnotes:
            problems.append(at(number, "footnote_text", f"footnote {marker!r} has no footnote_text"))
        elif marker in footnotes and text and text != footnotes[marker][0]:
            message = f"footnote {marker!r} has another text in row {footnotes[marker][1]}"
            problems.append(at(number, "footnote_text", message))
        elif marker not in footnotes:
            footnotes[marker] = (text, number, column)
    tally = _counts(row, "tally_", number)
    if tally is not None:
        covers = row.get("tally_covers", ("", 0))
        if covers[0]:
            tally.append(("covers", _list(covers[0], number, covers[1])))
        alternative = _counts(row, "alternative_", number)
        if alternative is not None:
            tally.append(("alternative", _items(alternative, number, _first(row, "alternative_"))))
        pairs.append(("tally", _items(tally, number, _first(row, "tally_"))))
    arms = []
    index = 1
    while any(f"arm{index}_{f}" in row for f in ARM_FIELDS):
        arm = _arm(row, index, number)
        if arm is not None:
            arms.append(arm)
        index += 1
    if arms:
        pairs.append(("arms", YSequence(tuple(arms), number, arms[0].column)))
    for name in TAIL_COLUMNS:
        value, column = row.get(name, ("", 0))
        if value:
            separator = "\n" if name == "notes" else ";"
            pairs.append((name, _list(value, number, column, separator)))
    return _items(pairs, number, 0)  # column 0: the row as a whole


def _first(row: dict[str, tuple[str, int]], prefix: str) -> int:
    return min((c for name, (v, c) in row.items() if name.startswith(prefix) and v), default=1)


def _counts(row: dict[str, tuple[str, int]], prefix: str, number: int) -> list[tuple[str, Node]] | None:
    """Outcome counts from prefix + outcome columns; None when all are empty."""
    pairs = []
    for outcome in model.OUTCOMES:
        value, column = row.get(prefix + outcome, ("", 0))
        if value:
            pairs.append((outcome, _scalar(value, number, column)))
    return pairs or None


def _arm(row: dict[str, tuple[str, int]], index: int, number: int) -> Mapping | None:
    prefix = f"arm{index}_"
    if not any(row.get(prefix + f, ("", 0))[0] for f in ARM_FIELDS):
        return None
    pairs: list[tuple[str, Node]] = []
    for name in ("label", "received", "n"):
        value, column = row.get(prefix + name, ("", 0))
        if value:
            pairs.append((name, _scalar(value, number, column)))
    counts = _counts(row, prefix, number)
    if counts is not None:
        pairs.append(("tally", _items(counts, number, _first(row, prefix))))
    notes, column = row.get(prefix + "notes", ("", 0))
    if notes:
        pairs.append(("notes", _list(notes, number, column, "\n")))
    return _items(pairs, number, _first(row, prefix))
