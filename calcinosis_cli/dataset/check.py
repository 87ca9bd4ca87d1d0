"""Checks between records: references resolve, and counts add up to N."""

from __future__ import annotations

from collections.abc import Callable

from .. import model
from ..errors import Problems
from ..words import did_you_mean, fold
from .places import Places
from .resolve import Names, resolve
from .tree import Node


def reference_problems(ref: model.Reference) -> list[str]:
    """What a reference lacks or gets wrong for its CSL type (each message starts with ': ' or
    ' field ...')."""
    from ..references import csl

    out = [
        f": missing required field {name!r} ({csl.a_type(ref.type)} needs it)" for name in csl.missing(ref._asdict())
    ]
    if not csl.plausible_year(ref.year):
        out.append(f" field 'year': {ref.year} is not a year of publication (a placeholder?)")
    if ref.kind == "journal article" and ref.type != "article-journal":
        out.append(f" field 'kind': 'journal article' is the mark of an article-journal, not of {csl.a_type(ref.type)}")
    if ref.issued is not None and not _issued_matches(ref.issued, ref.year):
        out.append(f" field 'issued': {ref.issued!r} is not a date YYYY, YYYY-MM or YYYY-MM-DD in the year {ref.year}")
    return out


def _issued_matches(issued: str, year: int) -> bool:
    import re

    match = re.fullmatch(r"(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?", issued)
    return match is not None and int(match.group(1)) == year


def cross_check(ds: dict, places: Places, problems: Problems) -> None:
    """Check that every reference between records resolves and that counts add up."""

    def add(section: str, key: str, message: str) -> None:
        places.report(problems, section, key, message)

    references, studies = ds["references"], ds["studies"]
    for ref in references.values():
        for message in reference_problems(ref):
            add("references", ref.id, f"reference {ref.id!r}{message}")
    for term in ds["diagnoses"].values():
        if term.broader is not None and term.broader not in ds["diagnoses"]:
            add("diagnoses", term.id, f"diagnosis {term.id!r} field 'broader': unknown diagnosis {term.broader!r}")
    for study in studies.values():
        label = f"study {study.id!r}"
        if study.reference not in references:
            add(
                "studies",
                study.id,
                f"{label} field 'reference': unknown reference {study.reference!r}"
                f"{did_you_mean(study.reference, list(references))}",
            )
        if study.spans_from is not None and study.spans_from not in studies:
            add("studies", study.id, f"{label} field 'spans_from': unknown study {study.spans_from!r}")
        if study.arms:
            _check_arms(study, label, lambda message, s=study: add("studies", s.id, message))
            continue
        if study.tally is None:
            parent = studies.get(study.spans_from) if study.spans_from else None
            if parent is None or parent.tally is None or study.id not in parent.tally.covers:
                add("studies", study.id, f"{label}: no tally, no arms, and no tally of another study covers it")
            continue
        covered_n = 0
        for other in study.tally.covers:
            if other not in studies:
                add("studies", study.id, f"{label} field 'tally.covers': unknown study {other!r}")
            elif other != study.id and studies[other].tally is not None:
                add("studies", study.id, f"{label} field 'tally.covers': {other!r} has a tally of its own")
            else:
                covered_n += studies[other].n
        if study.id not in study.tally.covers:
            add("studies", study.id, f"{label} field 'tally.covers': must include the study itself")
        if study.tally.total != covered_n:
            over = "exceed" if study.tally.total > covered_n else "fall short of"
            add(
                "studies",
                study.id,
                f"{label} field 'tally': outcomes add up to {study.tally.total}, which {over} N = {covered_n}",
            )
        alternative = study.tally.alternative
        if alternative is not None and alternative.total != study.tally.total:
            message = (
                f"{label} field 'tally': the alternative reading adds up to {alternative.total}, the tally to "
                f"{study.tally.total}; a reading must account for the same patients"
            )
            add("studies", study.id, message)
    for case in ds["cases"].values():
        if case.study not in studies:
            add(
                "cases",
                f"{case.study}#{case.number}",
                f"case {case.number} field 'study': unknown study {case.study!r}",
            )
    for note in ds["later_evidence"].values():
        if note.reference not in references:
            add(
                "later_evidence",
                note.id,
                f"later evidence {note.id!r} field 'reference': unknown reference {note.reference!r}",
            )


def _check_arms(study: model.Study, label: str, add: Callable[[str], None]) -> None:
    if study.tally is not None:
        add(f"{label} field 'tally': a study with arms has no tally of its own (each arm has one)")
    in_arms = sum(arm.n for arm in study.arms)
    if in_arms > study.n:
        add(f"{label} field 'arms': the arms hold {in_arms} patients, more than N = {study.n}")
    for number, arm in enumerate(study.arms, 1):
        if arm.tally.total != arm.n:
            over = "exceed" if arm.tally.total > arm.n else "fall short of"
            add(
                f"{label} field 'arms': arm {number} ({arm.label}): outcomes add up to {arm.tally.total}, "
                f"which {over} its n = {arm.n}"
            )


def check_partial_studies(ds: dict, partial: list[tuple[str, dict, Node]], problems: Problems) -> None:
    """Report unresolved references in studies that also had field problems."""
    names = Names(ds)
    for path, fields, node in partial:
        label = f"study {fields['id']!r}" if fields.get("id") else "study"
        checks = (
            ("treatment", fields.get("treatment"), names.treatments, "treatment"),
            ("reference", fields.get("reference"), {fold(r): r for r in ds["references"]}, "reference"),
        )
        for attr, value, index, noun in checks:
            if value is not None and resolve(value, index) is None:
                at = node.items[attr][1]  # the value's own position
                problems.at(path, at, f"{label} field {attr!r}: unknown {noun} {value!r}")
        for term in fields.get("diagnoses", ()):
            if resolve(term, names.diagnoses) is None:
                at = node.items["diagnoses"][1]
                message = f"{label} field 'diagnoses': unknown diagnosis {term!r}"
                problems.at(path, at, message)
