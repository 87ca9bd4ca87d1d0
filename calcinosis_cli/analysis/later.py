"""Statements of later reviews, kept within their scope.

A statement attaches to treatments or classes. One with a scope (a diagnosis term: "TNF
inhibitors might be useful for treating juvenile dermatomyositis") holds for rows whose
diagnoses all fall within that term; on rows whose diagnosis is broader than it, or not
stated, so that it may include the scope, it is shown qualified ("JDM only"); on rows outside
it, not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from .. import model
from ..references.bibliography import short_citation
from ..references.names import first_author_surname


class Applied(NamedTuple):
    """A statement as it applies to some rows: ``only`` names its scope when it is qualified;
    ``via_class`` says it reaches them through their treatment's class, not by name."""

    entry: model.LaterEvidence
    only: str | None = None
    via_class: bool = False


def scope_fit(ds: model.Dataset, scope: str, diagnoses: Sequence[str]) -> str:
    """'within' if every diagnosis is the scope or narrower; 'broader' if a diagnosis may
    include the scope (a broader term, or none stated); else 'outside'."""
    if not diagnoses:
        return "broader"
    within = [d == scope or scope in set(ds.broader_terms(d)) for d in diagnoses]
    if all(within):
        return "within"
    scope_ancestors = set(ds.broader_terms(scope))
    if any(within) or any(d in scope_ancestors for d in diagnoses):
        return "broader"
    return "outside"


def scope_label(ds: model.Dataset, scope: str) -> str:
    """A short name for a scope: its first alias (JDM), else the term."""
    term = ds.diagnoses.get(scope)
    return term.aliases[0] if term is not None and term.aliases else scope


def later_for_rows(ds: model.Dataset, studies: Sequence[model.Study]) -> list[Applied]:
    """Statements about the treatments (or their classes) of ``studies``, within their scope."""
    out = []
    for entry in ds.later_evidence:
        about = [s for s in studies if _is_about(ds, entry, s.treatment)]
        if not about:
            continue
        # A statement about a class is about the class, not a grading of each member's row.
        via_class = not any(s.treatment in entry.treatments for s in about)
        if entry.scope is None:
            out.append(Applied(entry, None, via_class))
            continue
        fits = {scope_fit(ds, entry.scope, s.diagnoses) for s in about}
        if fits == {"within"}:
            out.append(Applied(entry, None, via_class))
        elif fits != {"outside"}:
            out.append(Applied(entry, scope_label(ds, entry.scope), via_class))
    return out


def _is_about(ds: model.Dataset, entry: model.LaterEvidence, treatment: str) -> bool:
    known = ds.treatments.get(treatment)
    return treatment in entry.treatments or (known is not None and known.treatment_class in entry.classes)


def statement_text(entry: model.LaterEvidence) -> str:
    """The statement as it should be read: a quotation in quotation marks, with where it stands."""
    if not entry.quoted:
        return entry.statement
    where = f" ({entry.quoted_from})" if entry.quoted_from else ""
    return f"“{entry.statement}”{where}"


def level_phrase(entry: model.LaterEvidence) -> str:
    """ ", level IB as graded by the review", or "" where there is no level or the quotation states it."""
    if not entry.level or (entry.quoted and f"level {entry.level}" in entry.statement):
        return ""
    return f", level {entry.level} as graded by the review"


def later_mark(ds: model.Dataset, applied: Sequence[Applied]) -> str:
    """A short mark for a table cell: ``Traineau 2020 (IB)``, ``Traineau 2020 (IV, JDM only)``."""
    marks = []
    for item in applied:
        ref = ds.references.get(item.entry.reference)
        who = f"{first_author_surname(ref)} {ref.year}" if ref else item.entry.reference
        parts = (item.entry.level, "class" if item.via_class else None, f"{item.only} only" if item.only else None)
        inside = ", ".join(p for p in parts if p)
        marks.append(f"{who} ({inside})" if inside else who)
    return "; ".join(dict.fromkeys(marks))


def later_text(ds: model.Dataset, item: Applied) -> str:
    """``Traineau et al (2020), level IB as graded by the review: statement`` (and its scope)."""
    ref = ds.references.get(item.entry.reference)
    who = short_citation(ref) if ref else item.entry.reference
    about = ", on the treatment's class" if item.via_class else ""
    scope = ""
    if item.only:
        scope = f" (It concerns {item.entry.scope} only; the diagnosis here is broader or not stated.)"
    return f"{who}{level_phrase(item.entry)}{about}: {statement_text(item.entry)}{scope}"
