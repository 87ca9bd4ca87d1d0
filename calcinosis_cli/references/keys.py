"""Citation keys: stable ASCII ids such as ``berger1987``, made unique with a, b, ..."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from ..model import Reference
from .names import split_name

_KEY_RE = re.compile(r"^[a-z][a-z0-9]*$")


# Latin letters that NFKD does not decompose into a base letter and a mark.
_UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe"})


def _ascii_fold(text: str) -> str:
    """Lowercase ASCII letters and digits only: NFKD, combining marks dropped."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_UNDECOMPOSED))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", stripped.lower())


def citation_key(ref: Reference) -> str:
    """A stable ASCII key ``[a-z][a-z0-9]*`` such as ``berger1987``.

    The reference's ``id`` when it already has that form, else surname + year.
    """
    if _KEY_RE.match(ref.id):
        return ref.id
    surname = split_name(ref.authors[0])[0] if ref.authors else ""
    stem = _ascii_fold(surname)
    if not stem or not stem[0].isalpha():
        stem = "ref" + stem
    return f"{stem}{ref.year}"


def distinct(refs: Sequence[Reference]) -> list[Reference]:
    """``refs`` with each reference once, in order."""
    out: list[Reference] = []
    for ref in refs:
        if ref not in out:
            out.append(ref)
    return out


def unique_keys(refs: Sequence[Reference]) -> list[str]:
    """Keys for ``refs`` (already de-duplicated), shared keys suffixed a, b, ... in order."""
    base = [citation_key(r) for r in refs]
    counts: dict[str, int] = {}
    for key in base:
        counts[key] = counts.get(key, 0) + 1
    taken = {k for k in base if counts[k] == 1}
    next_suffix: dict[str, int] = {}
    out: list[str] = []
    for key in base:
        if counts[key] == 1:
            out.append(key)
            continue
        n = next_suffix.get(key, 0)
        while True:
            candidate = key + _suffix(n)
            n += 1
            if candidate not in taken:
                break
        next_suffix[key] = n
        taken.add(candidate)
        out.append(candidate)
    return out


def _suffix(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa, ..."""
    letters = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return letters
