"""References in a CSL citation style: the CSL-JSON items that csl_json.py writes, rendered by
references/styles.py (citeproc-py). One conversion from a Reference to a CSL item, shared by
``cite --style csl-json`` and every CSL style."""

from __future__ import annotations

from collections.abc import Sequence

from ...model import Reference
from ...references.keys import distinct, unique_keys
from ...references.styles import Entry, Style, render_entries
from .csl_json import _csl_item


def csl_items(refs: Sequence[Reference]) -> list[dict]:
    """The references as CSL-JSON items, keyed as ``cite --style csl-json`` keys them."""
    return [_csl_item(ref, key) for ref, key in zip(refs, unique_keys(refs), strict=True)]


def styled_entries(refs: Sequence[Reference], style: Style, sort: bool = True) -> list[tuple[Reference, Entry]]:
    """Each reference with its entry in ``style``: in the style's order when ``sort``, else in
    the order given (a report keeps its own numbering)."""
    refs = distinct(refs)
    items = csl_items(refs)
    by_key = {item["id"]: ref for item, ref in zip(items, refs, strict=True)}
    return [(by_key[entry.key], entry) for entry in render_entries(items, style, sort=sort)]
