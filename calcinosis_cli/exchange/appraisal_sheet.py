"""An appraisal sheet for `import`: one row per study, tool and reviewer, with the columns
study, tool, reviewer, date, q1, q2, ... (an answer per item: yes, no, unclear, not applicable,
or y, n, u, na), optionally q1_support ... (a quote or reason), overall and overall_reason.
Read into the tree a data file's ``appraisals:`` would give, each value at its row and column,
so that the loader's checks report problems at the sheet's cells."""

from __future__ import annotations

import csv
import io
import re

from .. import model
from ..dataset.files import Undecodable, decode_utf8
from ..dataset.tree import Mapping, Node
from ..dataset.tree import Sequence as YSequence
from ..errors import Problem
from .sheet import Sheet, _delimiter, _items, _scalar

KEY_COLUMNS = ("study", "tool", "reviewer", "date")
TAIL = ("overall", "overall_reason", "notes")
ITEM = re.compile(r"q([1-9][0-9]{0,3})(_support)?$")


def is_appraisal_sheet(data: bytes) -> bool:
    """Whether a sheet's header names the columns of an appraisal sheet (study, tool, reviewer)."""
    decoded = decode_utf8(data)
    if isinstance(decoded, Undecodable):
        return False
    text = decoded[0]
    header = {cell.strip() for cell in next(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)), [])}
    return {"study", "tool", "reviewer"} <= header and "treatment_printed" not in header


def read_appraisal_sheet(path: str, data: bytes) -> Sheet:
    from ..words import did_you_mean

    decoded = decode_utf8(data)
    if isinstance(decoded, Undecodable):
        return Sheet(Mapping({}, 1, 1), [], [], [Problem(path, None, None, "not UTF-8; save the sheet as UTF-8 csv")])
    text = decoded[0]
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    header = [cell.strip() for cell in rows[0]]
    problems: list[Problem] = []

    def at(row: int, column: str | None, message: str) -> Problem:
        number = header.index(column) + 1 if column in header else 0
        return Problem(path, row, number, message, f"row {row}" + (f", column {column}" if column else ""))

    known = [*KEY_COLUMNS, *TAIL]
    for name in header:
        if name and name not in known and not ITEM.match(name):
            problems.append(at(1, name, f"unknown column {name!r}{did_you_mean(name, known)} (items are q1, q2, ...)"))
    entries: list[Node] = []
    for number, cells in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in cells):
            continue
        row = {name: (cells[i].strip(), i + 1) for i, name in enumerate(header) if name and i < len(cells)}
        pairs: list[tuple[str, Node]] = []
        for name in (*KEY_COLUMNS, *TAIL):
            value, column = row.get(name, ("", 0))
            if value:
                pairs.append((name, _scalar(value, number, column)))
        answers: list[tuple[str, Node]] = []
        for name, (value, column) in row.items():
            match = ITEM.match(name)
            if not match or match.group(2) or not value:
                continue
            answer = _scalar(model.ANSWER_ALIASES.get(value.casefold(), value), number, column)
            support = row.get(f"{name}_support", ("", 0))
            if support[0]:
                node: Node = _items(
                    [("answer", answer), ("support", _scalar(support[0], number, support[1]))], number, column
                )
            else:
                node = answer
            answers.append((match.group(1), node))
        first = min((c for _v, c in row.values()), default=1)
        pairs.append(("answers", _items(answers, number, first)))
        entries.append(_items(pairs, number, first))
    return Sheet(_items([("appraisals", YSequence(tuple(entries), 1, 0))], 1, 0), header, [], problems)
