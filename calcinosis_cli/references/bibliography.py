"""How a reference is written in running text: a short citation and the Vancouver style.

The source paper cites in Vancouver style; both forms are built from the Reference record
alone, so nothing is looked up or guessed. Citation-manager formats (BibTeX, RIS, CSL-JSON)
are in exchange/formats/.
"""

from __future__ import annotations

from .. import model


def short_citation(ref: model.Reference) -> str:
    """``Berger et al (1987)`` style, from the reference record."""
    from .names import surname

    surnames = [surname(a) for a in ref.authors] or [ref.id]
    if len(surnames) == 1 and not ref.et_al:
        who = surnames[0]
    elif len(surnames) == 2 and not ref.et_al:
        who = f"{surnames[0]} and {surnames[1]}"
    else:
        who = f"{surnames[0]} et al"
    return f"{who} ({ref.year})"


def vancouver(ref: model.Reference) -> str:
    """One reference in the source paper's style, e.g. ``Berger RG, ... Am J Med 1987;83:72-6.``"""
    authors = ", ".join(ref.authors) + (", et al" if ref.et_al else "")
    # A title keeps its own ? or !; a medium designator such as "[abstract]" after such a
    # title takes no full stop (reference 7), after any other title it does (15, 16).
    head = ref.title[: -len(" [abstract]")] if ref.title.endswith(" [abstract]") else ref.title
    title = ref.title if head.endswith(("?", "!")) or ref.title.endswith(".") else ref.title + "."
    if ref.type != "article-journal" or not ref.journal:
        return _vancouver_work(ref, authors, title)
    where = f"{ref.journal} {ref.year}"
    if ref.volume:
        where += f";{ref.volume}"
        if ref.issue:
            where += f"({ref.issue})"
        if ref.supplement:
            where += f"({ref.supplement})"
    if ref.pages:
        where += f":{ref.pages}"
    if ref.abstract_number:
        where += f": abstr {ref.abstract_number}"
    text = f"{authors}. {title} {where}."
    if ref.doi:
        text += f" doi:{ref.doi}"
    if ref.pmid:
        text += f" PMID {ref.pmid}"
    return text


def _vancouver_work(ref: model.Reference, authors: str, title: str) -> str:
    """A work that is not a journal article, in the order the Vancouver (ICMJE/NLM) style
    gives books and chapters: ``Authors. Title. In: Editors, editors. Book. Edition. Place:
    Publisher; Year. p. Pages.``"""
    parts = [f"{authors}." if authors else "", title]
    if ref.genre and ref.type in ("thesis", "report"):
        parts[-1] = title[:-1] + f" [{ref.genre}]." if title.endswith(".") else f"{title} [{ref.genre}]"
    if ref.container_title:
        editors = f"{', '.join(ref.editors)}, editors. " if ref.editors else ""
        parts.append(f"In: {editors}{ref.container_title}.")
    elif ref.editors and not ref.authors:
        parts.insert(1, f"{', '.join(ref.editors)}, editors.")
    if ref.edition:
        parts.append(f"{ref.edition} ed.")
    if ref.event:
        parts.append(f"{ref.event}.")
    house = ": ".join(p for p in (ref.publisher_place, ref.publisher) if p)
    parts.append(f"{house}; {ref.year}." if house else f"{ref.year}.")
    if ref.report_number:
        parts.append(f"{ref.report_number}.")
    if ref.pages:
        parts.append(f"p. {ref.pages}.")
    text = " ".join(p for p in parts if p)
    if ref.doi:
        text += f" doi:{ref.doi}"
    if ref.pmid:
        text += f" PMID {ref.pmid}"
    if ref.url and not ref.doi:
        text += f" Available from: {ref.url}"
    return text
