"""A bibliographic reference, as the citing paper prints it."""

from typing import NamedTuple


class Reference(NamedTuple):
    """One bibliographic entry, as the citing paper prints it."""

    id: str
    authors: tuple[str, ...]
    title: str
    journal: str
    year: int
    number: int | None = None  # the number the source paper gives it
    volume: str | None = None
    issue: str | None = None
    supplement: str | None = None
    pages: str | None = None
    abstract_number: str | None = None
    doi: str | None = None
    pmid: str | None = None
    kind: str = "journal article"  # or "conference abstract"
    et_al: bool = False  # the printed author list is cut short with "et al"
    notes: tuple[str, ...] = ()
