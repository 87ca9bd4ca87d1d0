"""JSON and JSON Lines output: row objects with stable keys."""

from __future__ import annotations

import json
from collections.abc import Sequence


def _pick(row: dict[str, object], columns: Sequence[str]) -> dict[str, object]:
    return {c: row.get(c) for c in columns}


def render_json(rows: Sequence[dict[str, object]], columns: Sequence[str]) -> str:
    """A JSON array of objects, keys in column order."""
    return json.dumps([_pick(r, columns) for r in rows], ensure_ascii=False, indent=2) + "\n"


def render_jsonl(rows: Sequence[dict[str, object]], columns: Sequence[str]) -> str:
    """One JSON object per line."""
    return "".join(json.dumps(_pick(r, columns), ensure_ascii=False) + "\n" for r in rows)
