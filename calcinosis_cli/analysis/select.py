"""Selecting studies: the filters of list, group, cite, report and plot, the names a user may
type for a treatment or diagnosis, and the note on rows a diagnosis filter passed over."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from .. import model
from ..errors import QueryError
from ..words import did_you_mean, fold
from .rows import footnote_of, outcome_cell, reference_cell, treated_counts


class Filters(NamedTuple):
    """What ``list``, ``group``, ``cite`` and ``report`` select. Repeated values OR, fields AND."""

    treatments: tuple[str, ...] = ()
    diagnoses: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    designs: tuple[str, ...] = ()
    min_n: int | None = None
    max_n: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    authors: tuple[str, ...] = ()
    search: tuple[str, ...] = ()
    rob: tuple[str, ...] = ()  # overall risk-of-bias judgements; "unappraised" for none

    def any(self) -> bool:
        """Whether any filter is set."""
        return any(v not in (None, ()) for v in self)

    def describe(self) -> str:
        """The filters as command-line options, for provenance lines."""
        parts: list[str] = []
        for flag, values in (
            ("--treatment", self.treatments),
            ("--diagnosis", self.diagnoses),
            ("--outcome", self.outcomes),
            ("--design", self.designs),
            ("--author", self.authors),
            ("--search", self.search),
            ("--rob", self.rob),
        ):
            parts.extend(f"{flag} {_shell_quote(v)}" for v in values)
        for flag, value in (
            ("--min-n", self.min_n),
            ("--max-n", self.max_n),
            ("--year-from", self.year_from),
            ("--year-to", self.year_to),
        ):
            if value is not None:
                parts.append(f"{flag} {value}")
        return " ".join(parts)


def _shell_quote(value: str) -> str:
    import shlex

    return shlex.quote(value)


def treatment_names(ds: model.Dataset) -> dict[str, set[str]]:
    """Every name a user may type for a treatment (folded) -> the treatment ids it means."""
    names: dict[str, set[str]] = {}
    for t in ds.treatments.values():
        for name in (t.id, t.treatment_class, *t.aliases):
            names.setdefault(fold(name), set()).add(t.id)
    for study in ds.studies:
        names.setdefault(fold(study.treatment_printed), set()).add(study.treatment)
    return names


def diagnosis_names(ds: model.Dataset) -> dict[str, set[str]]:
    """Every term a user may type for a diagnosis (folded) -> the normalised terms it finds.

    A term finds itself and every narrower term (``dermatomyositis`` finds juvenile
    dermatomyositis); a printed cell finds the terms recorded for its rows.
    """
    narrower: dict[str, set[str]] = {d: {d} for d in ds.diagnoses}
    for term in ds.diagnoses.values():
        for parent in ds.broader_terms(term.id):
            narrower[parent].add(term.id)
    names: dict[str, set[str]] = {}
    for term in ds.diagnoses.values():
        for name in (term.id, *term.aliases):
            names.setdefault(fold(name), set()).update(narrower[term.id])
    return names


def _resolve(
    kind: str, values: Sequence[str], names: dict[str, set[str]], printed: frozenset[str] = frozenset()
) -> set[str]:
    """The normalised terms ``values`` mean; a value equal to a printed cell is accepted as is."""
    wanted: set[str] = set()
    for value in values:
        key = fold(value)
        if key in names:
            wanted |= names[key]
            continue
        if key in printed:
            continue
        hint = did_you_mean(key, list(names), n=3)
        raise QueryError(f"unknown {kind} {value!r}{hint} (see 'calcinosis terms {kind}')")
    return wanted


def _check_choice(kind: str, values: Sequence[str], choices: Sequence[str]) -> None:
    for value in values:
        if value not in choices:
            hint = did_you_mean(value, choices)
            raise QueryError(f"unknown {kind} {value!r}{hint} (choose from: {', '.join(choices)})")


def studies_matching(ds: model.Dataset, filters: Filters) -> list[model.Study]:
    """The studies that pass every filter, in dataset order."""
    treatments = _resolve("treatment", filters.treatments, treatment_names(ds)) if filters.treatments else None
    printed_cells = frozenset(fold(s.diagnosis_printed) for s in ds.studies if s.diagnosis_printed)
    diagnoses = (
        _resolve("diagnosis", filters.diagnoses, diagnosis_names(ds), printed_cells) if filters.diagnoses else None
    )
    printed_diagnoses = {fold(v) for v in filters.diagnoses}
    _check_choice("outcome", filters.outcomes, model.OUTCOMES)
    designs = [model.DESIGN_ALIASES.get(d, d) for d in filters.designs]
    _check_choice("design", designs, model.DESIGNS)
    authors = [fold(a) for a in filters.authors]
    needles = [fold(s) for s in filters.search]
    judgements = _judgements(ds, filters.rob) if filters.rob else None
    out = []
    for study in ds.studies:
        ref = ds.references.get(study.reference)
        if treatments is not None and study.treatment not in treatments:
            continue
        if diagnoses is not None and not (
            diagnoses.intersection(study.diagnoses)
            or (study.diagnosis_printed and fold(study.diagnosis_printed) in printed_diagnoses)
        ):
            continue
        if filters.outcomes:
            t = treated_counts(ds, study)[1] if study.arms else ds.tally_for(study)
            if t is None or not any(t.count(o) for o in filters.outcomes):
                continue
        if designs and study.design not in designs:
            continue
        if filters.min_n is not None and study.n < filters.min_n:
            continue
        if filters.max_n is not None and study.n > filters.max_n:
            continue
        year = ref.year if ref else None
        if filters.year_from is not None and (year is None or year < filters.year_from):
            continue
        if filters.year_to is not None and (year is None or year > filters.year_to):
            continue
        if authors:
            printed = reference_cell(ds, study) or ""
            hay = [fold(a) for a in (ref.authors if ref else ())] + [fold(printed)]
            if not any(a in h for a in authors for h in hay):
                continue
        if judgements is not None and judgements[1].get(study.id, UNAPPRAISED) not in judgements[0]:
            continue
        if needles:
            text = fold(" ".join(_searchable_text(ds, study)))
            if not any(n in text for n in needles):
                continue
        out.append(study)
    return out


UNAPPRAISED = "unappraised"


def _judgements(ds: model.Dataset, wanted: Sequence[str]) -> tuple[set[str], dict[str, str]]:
    """The --rob values asked for, and each appraised study's overall judgement."""
    choices = (*model.OVERALL, UNAPPRAISED)
    values = [fold(v) for v in wanted]
    _check_choice("risk-of-bias judgement", values, choices)
    if not ds.appraisals:
        return set(values), {}
    from ..appraisal import overall_by_study

    return set(values), {k: v[0] or UNAPPRAISED for k, v in overall_by_study(ds).items()}


def broader_rows(ds: model.Dataset, filters: Filters) -> list[tuple[str, str, int]]:
    """Rows the --diagnosis filter leaves out whose diagnosis is a broader term that may
    include the one asked for (Scleroderma for systemic sclerosis): (asked, broader, rows).

    Only rows that pass every other filter count.
    """
    if not filters.diagnoses:
        return []
    selected = {s.id for s in studies_matching(ds, filters)}
    others = [s for s in studies_matching(ds, filters._replace(diagnoses=())) if s.id not in selected]
    out: list[tuple[str, str, int]] = []
    for value in filters.diagnoses:
        for base in _terms_named(ds, value):
            for parent in ds.broader_terms(base):
                count = sum(1 for s in others if parent in s.diagnoses)
                if count:
                    out.append((value, parent, count))
    return list(dict.fromkeys(out))


def _terms_named(ds: model.Dataset, value: str) -> list[str]:
    """The diagnosis terms whose id or alias is ``value`` (folded)."""
    key = fold(value)
    return [d.id for d in ds.diagnoses.values() if key in {fold(d.id), *map(fold, d.aliases)}]


def _searchable_text(ds: model.Dataset, study: model.Study) -> Iterable[str]:
    yield from (study.id, study.treatment, study.treatment_printed, study.design, study.source)
    yield from (v for v in (study.dose, study.phase, study.diagnosis_printed, outcome_cell(ds, study)) if v)
    yield from study.diagnoses
    yield from study.notes
    yield from study.outcome_measures
    footnote = footnote_of(ds, study)
    if footnote is not None:
        yield footnote.text
    treatment = ds.treatments.get(study.treatment)
    if treatment:
        yield treatment.treatment_class
        yield from treatment.aliases
    ref = ds.references.get(study.reference)
    if ref:
        yield from (ref.title, ref.journal, str(ref.year), *ref.authors)
    printed = reference_cell(ds, study)
    if printed:
        yield printed
