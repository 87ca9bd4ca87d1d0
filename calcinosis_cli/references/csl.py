"""What kind of work a reference is: the CSL item types, how RIS and BibTeX name them, and
which fields each type needs. The one place that knows the types; readers, writers, the
data-file checks and the schema ask it.

Types are CSL 1.0.2's (https://docs.citationstyles.org/en/stable/specification.html#appendix-iii-types).
RIS types are the RIS specification's list (RIS Format Specifications, Research Information
Systems, 2011, as Zotero's and JabRef's importers read it); BibTeX and biblatex entry types
are those of the BibTeX manual and the biblatex manual (section 2.1).
"""

from __future__ import annotations

import datetime

# CSL 1.0.2 item types.
TYPES = (
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book", "broadcast",
    "chapter", "classic", "collection", "dataset", "document", "entry", "entry-dictionary",
    "entry-encyclopedia", "event", "figure", "graphic", "hearing", "interview", "legal_case", "legislation",
    "manuscript", "map", "motion_picture", "musical_score", "pamphlet", "paper-conference", "patent",
    "performance", "periodical", "personal_communication", "post", "post-weblog", "regulation", "report",
    "review", "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
)  # fmt: skip

DEFAULT_TYPE = "article-journal"

# The tool's own marks on a reference (its vocabulary, not CSL's): "journal article" is the
# default mark of an article-journal, and means nothing more than that.
KINDS = ("journal article", "conference abstract", "review")

# RIS TY -> CSL type: every type of the RIS specification.
RIS_TO_CSL = {
    "ABST": "article-journal", "ADVS": "motion_picture", "AGGR": "dataset", "ANCIENT": "classic",
    "ART": "graphic", "BILL": "bill", "BLOG": "post-weblog", "BOOK": "book", "CASE": "legal_case",
    "CHAP": "chapter", "CHART": "graphic", "CLSWK": "classic", "COMP": "software", "CONF": "paper-conference",
    "CPAPER": "paper-conference", "CTLG": "book", "DATA": "dataset", "DBASE": "dataset",
    "DICT": "entry-dictionary", "EBOOK": "book", "ECHAP": "chapter", "EDBOOK": "book", "EJOUR": "article-journal",
    "ELEC": "webpage", "ENCYC": "entry-encyclopedia", "EQUA": "document", "FIGURE": "figure", "GEN": "document",
    "GOVDOC": "report", "GRANT": "document", "HEAR": "hearing", "ICOMM": "personal_communication",
    "INPR": "article-journal", "JFULL": "periodical", "JOUR": "article-journal", "LEGAL": "legislation",
    "MANSCPT": "manuscript", "MAP": "map", "MGZN": "article-magazine", "MPCT": "motion_picture",
    "MULTI": "motion_picture", "MUSIC": "musical_score", "NEWS": "article-newspaper", "PAMP": "pamphlet",
    "PAT": "patent", "PCOMM": "personal_communication", "RPRT": "report", "SER": "periodical", "SLIDE": "graphic",
    "SOUND": "song", "STAND": "standard", "STAT": "legislation", "THES": "thesis", "UNBILL": "bill",
    "UNPB": "manuscript", "VIDEO": "motion_picture",
}  # fmt: skip

# CSL type -> the RIS TY written for it (Zotero's choices where the RIS list has several).
CSL_TO_RIS = {
    "article-journal": "JOUR", "article": "GEN", "article-magazine": "MGZN", "article-newspaper": "NEWS",
    "bill": "BILL", "book": "BOOK", "chapter": "CHAP", "classic": "CLSWK", "dataset": "DATA",
    "document": "GEN", "entry-dictionary": "DICT", "entry-encyclopedia": "ENCYC", "figure": "FIGURE",
    "graphic": "ART", "hearing": "HEAR", "legal_case": "CASE", "legislation": "LEGAL", "manuscript": "UNPB",
    "map": "MAP", "motion_picture": "MPCT", "musical_score": "MUSIC", "pamphlet": "PAMP",
    "paper-conference": "CONF", "patent": "PAT", "periodical": "JFULL", "personal_communication": "PCOMM",
    "post-weblog": "BLOG", "report": "RPRT", "software": "COMP", "song": "SOUND", "standard": "STAND",
    "thesis": "THES", "webpage": "ELEC",
}  # fmt: skip

# BibTeX and biblatex entry types -> CSL type.
BIBTEX_TO_CSL = {
    "article": "article-journal", "book": "book", "mvbook": "book", "booklet": "pamphlet", "inbook": "chapter",
    "bookinbook": "chapter", "suppbook": "chapter", "incollection": "chapter", "suppcollection": "chapter",
    "collection": "book", "mvcollection": "book", "inproceedings": "paper-conference",
    "conference": "paper-conference", "proceedings": "book", "mvproceedings": "book", "manual": "report",
    "mastersthesis": "thesis", "phdthesis": "thesis", "thesis": "thesis", "techreport": "report",
    "report": "report", "misc": "document", "unpublished": "manuscript", "online": "webpage",
    "electronic": "webpage", "www": "webpage", "dataset": "dataset", "data": "dataset", "patent": "patent",
    "software": "software", "reference": "book", "inreference": "entry-encyclopedia",
    "periodical": "periodical", "suppperiodical": "article-journal", "standard": "standard",
}  # fmt: skip

# CSL type -> the BibTeX entry type written for it (classic BibTeX types, which biblatex reads too).
CSL_TO_BIBTEX = {
    "article-journal": "article", "article-magazine": "article", "article-newspaper": "article",
    "book": "book", "chapter": "incollection", "paper-conference": "inproceedings", "thesis": "phdthesis",
    "report": "techreport", "manuscript": "unpublished", "pamphlet": "booklet",
}  # fmt: skip

# Genres BibTeX's types state (a thesis's kind).
BIBTEX_GENRES = {"mastersthesis": "Master's thesis", "phdthesis": "PhD thesis"}

# Types whose works have an author (or, for the book-like ones, an editor instead): one is required.
_NEEDS_CREATOR = frozenset(
    ("article-journal", "book", "chapter", "paper-conference", "thesis", "manuscript", "patent", "classic")
)
_EDITED = frozenset(("book", "periodical", "collection"))


def a_type(csl_type: str) -> str:
    """``"an article-journal"``, ``"a book"``: a type named in a sentence."""
    return f"{'an' if csl_type[:1] in 'aeiou' else 'a'} {csl_type}"


def is_type(value: str) -> bool:
    return value in TYPES


# Reference-type names some programs write in TY instead of the RIS abbreviation (EndNote's names).
_RIS_NAMES = {
    "JOURNAL ARTICLE": "JOUR", "BOOK SECTION": "CHAP", "EDITED BOOK": "EDBOOK", "CONFERENCE PAPER": "CPAPER",
    "CONFERENCE PROCEEDINGS": "CONF", "THESIS": "THES", "REPORT": "RPRT", "WEB PAGE": "ELEC", "DATASET": "DATA",
}  # fmt: skip


def ris_type(ris: str) -> str | None:
    """The CSL type of an RIS ``TY`` value; None for a TY the specification does not list."""
    value = " ".join(ris.split()).upper()
    return RIS_TO_CSL.get(_RIS_NAMES.get(value, value))


def ris_ty(csl_type: str, kind: str | None) -> str:
    """The RIS ``TY`` to write: ABST for the tool's conference abstract in a journal."""
    if csl_type == "article-journal" and kind == "conference abstract":
        return "ABST"
    return CSL_TO_RIS.get(csl_type, "GEN")


def bibtex_type(entry_type: str) -> str:
    """The CSL type of a BibTeX/biblatex entry type (``document`` for one neither lists)."""
    return BIBTEX_TO_CSL.get(entry_type.strip().lower(), "document")


def bibtex_entry_type(csl_type: str, genre: str | None = None) -> str:
    """The BibTeX entry type to write for a CSL type (``misc`` where BibTeX has none)."""
    if csl_type == "thesis" and genre and "master" in genre.lower():
        return "mastersthesis"
    return CSL_TO_BIBTEX.get(csl_type, "misc")


def has_creator(csl_type: str) -> bool:
    """Whether a work of this type must name an author (or, for an edited book, an editor)."""
    return csl_type in _NEEDS_CREATOR


def plausible_year(year: int) -> bool:
    """A year a work can have been published in: not 0, 0000 or 9999 (placeholders), nor far ahead."""
    return 1000 <= year <= datetime.date.today().year + 2


def missing(fields: dict) -> list[str]:
    """The required fields a reference's ``fields`` (model attribute -> value) lack, by its type.

    A title and a year always; authors (or editors, for an edited type) where the type has
    them; the journal for a journal article.
    """
    kind_of = str(fields.get("type") or DEFAULT_TYPE)
    out = []
    if not fields.get("title"):
        out.append("title")
    if not fields.get("authors") and has_creator(kind_of):
        if kind_of in _EDITED and not fields.get("editors"):
            out.append("authors (or editors)")
        elif kind_of not in _EDITED:
            out.append("authors")
    if kind_of == DEFAULT_TYPE and not fields.get("journal"):
        out.append("journal")
    if fields.get("year") is None:
        out.append("year")
    return out
