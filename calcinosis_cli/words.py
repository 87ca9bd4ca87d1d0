"""Names as users type them: folding for matching, and close matches for a mistyped value
(one "did you mean" for every option, filter, id and data file)."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence


@functools.lru_cache(maxsize=1 << 16)  # a dataset's names repeat: warfarin, 15,000 times in a large one
def fold(value: str) -> str:
    """Normalise text for matching: NFC, case-folded, spacing collapsed."""
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


def close_matches(word: str, candidates: Sequence[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """Up to ``n`` candidates close to ``word``; failing that, those that ``word`` starts."""
    import difflib  # only needed on the error path

    if not word:
        return []
    close = difflib.get_close_matches(word, list(candidates), n=n, cutoff=cutoff)
    if not close:
        # Compare folded forms too: "Warfrin" is close to "warfarin".
        folded = {fold(c): c for c in candidates}
        close = [folded[c] for c in difflib.get_close_matches(fold(word), list(folded), n=n, cutoff=cutoff)]
    if not close:
        # A word of a longer name ("resolved" for "complete resolution"): the same first letters.
        import os.path

        typed = fold(word)
        close = [
            c
            for c in candidates
            if any(len(os.path.commonprefix([typed, part])) >= max(4, len(typed) // 2) for part in fold(c).split())
        ][:n]
    # A short word is often the start of the name ("age" for "age_years").
    return close or [c for c in candidates if fold(c).startswith(fold(word))][:n]


def did_you_mean(word: str, candidates: Sequence[str], n: int = 1, cutoff: float = 0.6) -> str:
    """``; did you mean 'class'?`` (or ``'a' or 'b'``), or an empty string when nothing is close."""
    close = close_matches(word, candidates, n=n, cutoff=cutoff)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
