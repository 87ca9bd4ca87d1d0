"""Close matches for a mistyped value: one "did you mean" for every option, filter and id."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def _fold(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


def close_matches(word: str, candidates: Sequence[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """Up to ``n`` candidates close to ``word``; failing that, those that ``word`` starts."""
    import difflib  # only needed on the error path

    if not word:
        return []
    close = difflib.get_close_matches(word, list(candidates), n=n, cutoff=cutoff)
    if not close:
        # Compare folded forms too: "Warfrin" is close to "warfarin".
        folded = {_fold(c): c for c in candidates}
        close = [folded[c] for c in difflib.get_close_matches(_fold(word), list(folded), n=n, cutoff=cutoff)]
    if not close:
        # A word of a longer name: "resolved" for "complete resolution".
        close = [
            c for c in candidates if " " in c and difflib.get_close_matches(_fold(word), _fold(c).split(), cutoff=0.5)
        ][:n]
    # A short word is often the start of the name ("age" for "age_years").
    return close or [c for c in candidates if _fold(c).startswith(_fold(word))][:n]


def did_you_mean(word: str, candidates: Sequence[str], n: int = 1, cutoff: float = 0.6) -> str:
    """``; did you mean 'class'?`` (or ``'a' or 'b'``), or an empty string when nothing is close."""
    close = close_matches(word, candidates, n=n, cutoff=cutoff)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
