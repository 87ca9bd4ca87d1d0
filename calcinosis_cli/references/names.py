"""Author names as the data holds them, "Surname Initials" (Vancouver), or an organisation's
name whole: the one place that tells a surname from initials."""

from __future__ import annotations

import functools
import re

from .. import model

_INITIALS_RE = re.compile(r"^[^\W\d_]{1,4}$")

_SUFFIX_RE = re.compile(r"^(?:Jr|Sr|Jnr|Snr|II|III|IV|VI|2nd|3rd|4th)\.?$")


@functools.lru_cache(maxsize=4096)  # a large listing names the same authors again and again
def name_parts(name: str) -> tuple[str, str, str]:
    """``"Berger RG"`` -> ``("Berger", "RG", "")``; ``"von Hicks M III"`` -> ``("von Hicks", "M", "III")``;
    a name without initials -> ``(name, "", "")``.

    The last word counts as initials when it is one to four letters, all capitals; a
    generational suffix (Jr, Sr, II, III, IV, 2nd, 3rd) after the initials is the suffix.
    """
    name = " ".join(name.split())
    words = name.split(" ")
    suffix = ""
    if len(words) >= 3 and _SUFFIX_RE.match(words[-1]) and _is_initials(words[-2]):
        suffix = words.pop()
    if len(words) >= 2 and _is_initials(words[-1]):
        return " ".join(words[:-1]), words[-1], suffix
    return name, "", ""


def _is_initials(word: str) -> bool:
    return bool(_INITIALS_RE.match(word)) and word.isupper()


def split_name(name: str) -> tuple[str, str]:
    """``"Berger RG"`` -> ``("Berger", "RG")``; a name without initials -> ``(name, "")``.
    A suffix is dropped (see :func:`name_parts`)."""
    surname, initials, _suffix = name_parts(name)
    return surname, initials


def surname(name: str) -> str:
    """The surname of ``"Berger RG"``; an organisation ("Scleroderma Study Group") keeps every word."""
    return split_name(name)[0]


def first_author_surname(ref: model.Reference) -> str:
    """The first author's surname (or organisation), for short citations and labels."""
    return surname(ref.authors[0]) if ref.authors else ""
