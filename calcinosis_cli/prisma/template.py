"""The PRISMA2020 package's CSV template: read as reviewers fill it, and written with zeros.

Its columns are data,node,box,description,boxtext,tooltips,url,n. A row's key is its `data`
(for the title boxes, which have none, its `box`); its number is `n`, and for the lists
(specific databases, reasons for exclusion) `n` holds "Reason1, 12; Reason2, 3". A blank or NA
number is a box left out, as in the package. `boxtext` is the box's wording, kept as written.
"""

from __future__ import annotations

import csv
import io

from ..dataset.files import Undecodable, decode_utf8
from ..errors import Problem
from ..model import flow as f
from ..words import did_you_mean

_BLANK = ("", "NA")


def template_csv() -> bytes:
    """The template with every number 0, CRLF as the package writes it. The excluded reports
    are 0 too (a number without reasons, which the package also draws); the specific databases
    and registers keep the package's placeholder, which reads as not given until filled."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(f.TEMPLATE_COLUMNS)
    for row in f.TEMPLATE_ROWS:
        key = row[2] if row[0] == "NA" else row[0]
        n = f.placeholder(key) if key in f.LIST_KEYS and key not in f.EXCLUDED_KEYS else "0"
        writer.writerow([*row, n])
    return buffer.getvalue().encode("utf-8")


class Cell:
    """One key's value as read: its text, and where it stands (line, column, the key)."""

    __slots__ = ("text", "line", "column", "key")

    def __init__(self, text: str, line: int, column: int, key: str) -> None:
        self.text, self.line, self.column, self.key = text, line, column, key


def read_template(path: str, data: bytes) -> tuple[dict[str, Cell], dict[str, Cell], list[Problem]]:
    """The n cells and the boxtext cells of a filled template, by key, and its problems."""
    problems: list[Problem] = []

    def problem(line: int, column: int, key: str | None, message: str) -> None:
        problems.append(Problem(path, line, column, message, f"line {line}" + (f", {key}" if key else "")))

    decoded = decode_utf8(data)
    if isinstance(decoded, Undecodable):
        problems.append(Problem(path, None, None, decoded.describe() + "; save the template as UTF-8 csv"))
        return {}, {}, problems
    text = decoded[0]
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","  # a spreadsheet of a decimal-comma locale
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        header = []
    except csv.Error as err:
        problem(1, 1, None, f"not a CSV file: {err}")
        return {}, {}, problems
    for name in header:
        if name and name not in f.TEMPLATE_COLUMNS:
            problem(1, header.index(name) + 1, None, f"unknown column {name!r}{did_you_mean(name, f.TEMPLATE_COLUMNS)}")
    for name in ("data", "n"):
        if name not in header:
            problem(1, 1, None, f"the template has no column {name!r} (its columns: {','.join(f.TEMPLATE_COLUMNS)})")
    if problems:
        return {}, {}, problems
    index = {name: header.index(name) for name in f.TEMPLATE_COLUMNS if name in header}
    numbers: dict[str, Cell] = {}
    texts: dict[str, Cell] = {}
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problem(line, 1, None, f"not a CSV row: {err}")
            break

        def cell(name: str, cells=cells) -> str:
            at = index.get(name)
            return cells[at].strip() if at is not None and at < len(cells) else ""

        if not any(c.strip() for c in cells):
            continue
        key = cell("data")
        if key in _BLANK:
            key = cell("box")
            if key not in f.TITLE_KEYS:
                problem(line, index["data"] + 1, None, f"the row has no key in 'data' (its box is {key or 'empty'!r})")
                continue
        if key not in f.KEYS:
            hint = did_you_mean(key, f.KEYS)
            problem(
                line,
                index["data"] + 1,
                key,
                f"unknown key {key!r}{hint} (the template's keys: see 'calcinosis new flow.csv')",
            )
            continue
        if key in numbers or key in texts:
            problem(
                line,
                index["data"] + 1,
                key,
                f"the key {key!r} is given twice (also on line {(numbers.get(key) or texts[key]).line})",
            )
            continue
        if key not in f.TITLE_KEYS:
            numbers[key] = Cell(cell("n"), line, index["n"] + 1, key)
        boxtext = cell("boxtext")
        if boxtext not in _BLANK:
            texts[key] = Cell(boxtext, line, index.get("boxtext", 0) + 1, key)
    return numbers, texts, problems
