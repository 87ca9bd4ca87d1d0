"""Author names as the data holds them, "Surname Initials" (Vancouver), or an organisation's
name whole: the one place that tells a surname from initials."""

from __future__ import annotations

import re

from .. import model

_INITIALS_RE = re.compile(r"^[^\W\d_]{1,4}$")


def split_name(name: str) -> tuple[str, str]:
    """``"Berger RG"`` -> ``("Berger", "RG")``; a name without initials -> ``(name, "")``.

    The last word counts as initials when it is one to four letters, all capitals.
    """
    name = " ".join(name.split())
    if " " in name:
        surname, last = name.rsplit(" ", 1)
        if _INITIALS_RE.match(last) and last.isupper():
            return surname, last
    return name, ""


def surname(name: str) -> str:
    """The surname of ``"Berger RG"``; an organisation ("Scleroderma Study Group") keeps every word."""
    return split_name(name)[0]


def first_author_surname(ref: model.Reference) -> str:
    """The first author's surname (or organisation), for short citations and labels."""
    return surname(ref.authors[0]) if ref.authors else ""
