"""JSON and JSON Lines output: row objects with stable keys."""

from __future__ import annotations

import json
from collections.abc import Sequence
from json.encoder import encode_basestring  # the C function where there is one, as json.dumps uses

_INFINITIES = (float("inf"), float("-inf"))


def _pick(row: dict[str, object], columns: Sequence[str]) -> dict[str, object]:
    return {c: row.get(c) for c in columns}


def render_json(rows: Sequence[dict[str, object]], columns: Sequence[str]) -> str:
    """A JSON array of objects, keys in column order: exactly ``json.dumps(..., indent=2)``.

    The standard library's C encoder does not indent, and its pure-Python one costs over a
    microsecond a value (more than a second for a listing of 15,000 rows). Rows are flat but
    for a few list columns, so texts, numbers, nulls and lists of text are encoded here
    (strings by the C function json.dumps uses); anything else goes to ``json.dumps``, its
    lines moved in to their depth.
    """
    if not rows:
        return "[]\n"
    if not columns:
        return "[\n" + ",\n".join("  {}" for _ in rows) + "\n]\n"
    pairs = [(f"    {encode_basestring(column)}: ", column) for column in columns]
    encode = encode_basestring
    objects = []
    for row in rows:
        get = row.get
        lines = []
        for key, column in pairs:
            value = get(column)
            cls = value.__class__
            if cls is str:
                lines.append(key + encode(value))
            elif value is None:
                lines.append(key + "null")
            elif cls is int:
                lines.append(key + int.__repr__(value))
            elif cls is list and all(item.__class__ is str for item in value):
                if value:
                    lines.append(key + "[\n      " + ",\n      ".join(map(encode, value)) + "\n    ]")
                else:
                    lines.append(key + "[]")
            elif cls is float and value == value and value not in _INFINITIES:
                lines.append(key + float.__repr__(value))
            elif cls is bool:
                lines.append(key + ("true" if value else "false"))
            else:  # a list of mappings, a mapping, NaN or infinity: as json writes it, two levels in
                lines.append(key + json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n    "))
        objects.append("  {\n" + ",\n".join(lines) + "\n  }")
    return "[\n" + ",\n".join(objects) + "\n]\n"


def render_jsonl(rows: Sequence[dict[str, object]], columns: Sequence[str]) -> str:
    """One JSON object per line."""
    return "".join(json.dumps(_pick(r, columns), ensure_ascii=False) + "\n" for r in rows)
