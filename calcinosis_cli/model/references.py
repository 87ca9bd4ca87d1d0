"""A bibliographic reference, as the citing paper prints it: a CSL item (references/csl.py)."""

from typing import NamedTuple


class Reference(NamedTuple):
    """One bibliographic entry, as the citing paper prints it.

    A CSL item: ``type`` is its CSL type; ``journal`` is a journal article's container (its
    abbreviation, as printed), ``container_title`` any other type's (a chapter's book, a
    paper's proceedings, a page's site). ``kind`` is the tool's own mark (None for a work that
    is not a journal article and has no mark).
    """

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
    kind: str | None = "journal article"  # or "conference abstract", "review": the tool's marks
    et_al: bool = False  # the printed author list is cut short with "et al"
    notes: tuple[str, ...] = ()
    type: str = "article-journal"  # the CSL item type
    editors: tuple[str, ...] = ()
    container_title: str | None = None
    collection_title: str | None = None
    publisher: str | None = None
    publisher_place: str | None = None
    edition: str | None = None
    event: str | None = None
    genre: str | None = None
    report_number: str | None = None  # CSL "number": a report's, patent's or standard's own number
    url: str | None = None
    isbn: str | None = None
    issn: str | None = None
    issued: str | None = None  # the date as stated, ISO 8601: 2015, 2015-03 or 2015-03-12
