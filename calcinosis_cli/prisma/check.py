"""The arithmetic that joins a flow's boxes, checked (PRISMA 2020, as the PRISMA2020 package
draws it): records identified minus those removed before screening are the records screened;
screened minus excluded are the reports sought; sought minus not retrieved are those assessed;
assessed minus the excluded (the sum of the reasons), over both columns, are the reports of the
new included studies; and totals add the studies of the previous version. A check runs only
where its boxes are given. The numbers are the reviewer's: a failure says which boxes disagree
and by how much, and nothing is corrected."""

from __future__ import annotations

from typing import NamedTuple

from ..model import flow as f
from .read import shows_other, shows_previous


class Failure(NamedTuple):
    """Boxes that do not add up: the one the others should give, and the line saying so."""

    keys: tuple[str, ...]  # the box that disagrees first, then the boxes it is computed from
    message: str


def label(key: str) -> str:
    """A box as the template describes it, unambiguous across the columns."""
    return f.DESCRIPTIONS[key].split(": [")[0]


def _terms(flow: f.Flow, keys: tuple[str, ...]) -> tuple[int, str]:
    """The sum of the given boxes among ``keys``, and how it is made ("a 3 + b 4 = 7")."""
    given = [(key, flow.number(key)) for key in keys if flow.number(key) is not None]
    total = sum(n for _key, n in given)  # type: ignore[misc]
    if len(given) == 1:
        return total, f"{given[0][0]} {given[0][1]}"
    return total, " + ".join(f"{key} {n}" for key, n in given) + f" = {total}"


def _where(flow: f.Flow, key: str) -> str:
    place = flow.places.get(key)
    return f"{flow.path}: {place}: " if place else f"{flow.path}: "


def check_flow(flow: f.Flow) -> list[Failure]:
    """Every place where the boxes do not add up, in the diagram's reading order."""
    out: list[Failure] = []

    def expect(key: str, value: int, made: str, sources: tuple[str, ...]) -> None:
        given = flow.number(key)
        if given is None or given == value:
            return
        out.append(
            Failure(
                (key, *sources),
                f'{_where(flow, key)}"{label(key)}" ({key}) is {given}, but {made} is {value} '
                f"(a difference of {given - value:+d})",
            )
        )

    for total, detail in (
        ("database_results", "database_specific_results"),
        ("register_results", "register_specific_results"),
    ):
        if total in flow.counts and detail in flow.lists:
            value, made = _terms(flow, (detail,))
            names = " + ".join(f"{name} {n}" for name, n in flow.lists[detail])
            expect(total, value, f"the sum of {detail} ({names})", (detail,))

    # Each source by its total where given, else by its specific list (the package shows either).
    identified_keys = tuple(
        total if flow.given(total) else detail
        for total, detail in (
            ("database_results", "database_specific_results"),
            ("register_results", "register_specific_results"),
        )
        if flow.given(total, detail)
    )
    identified, identified_made = _terms(flow, identified_keys)
    removed_keys = ("duplicates", "excluded_automatic", "excluded_other")
    removed, removed_made = _terms(flow, removed_keys)
    if flow.given(*removed_keys):
        made = (
            f'"Records identified from" ({identified_made}) minus "Records removed before screening" ({removed_made})'
        )
    else:
        made = f'"Records identified from" ({identified_made})'
    expect("records_screened", identified - removed, made, (*identified_keys, *removed_keys))

    def minus(result: str, start: str, less: str) -> None:
        a, b = flow.number(start), flow.number(less)
        if a is None or b is None:
            return
        made = f'"{label(start)}" ({start} {a}) minus "{label(less)}" ({less} {b})'
        expect(result, a - b, made, (start, less))

    minus("dbr_sought_reports", "records_screened", "records_excluded")
    minus("dbr_assessed", "dbr_sought_reports", "dbr_notretrieved_reports")
    other = shows_other(flow)
    if other:
        minus("other_assessed", "other_sought_reports", "other_notretrieved_reports")
    parts, sources = [], []
    included = 0
    for assessed, excluded in (("dbr_assessed", "dbr_excluded"), ("other_assessed", "other_excluded")):
        if assessed == "other_assessed" and not other:
            continue
        a, b = flow.number(assessed), flow.number(excluded)
        if a is None or b is None:
            return out
        included += a - b
        parts.append(f"{assessed} {a} minus {excluded} {b}")
        sources += [assessed, excluded]
    made = "reports assessed minus reports excluded (" + "; ".join(parts) + ")"
    expect("new_reports", included, made, tuple(sources))
    studies, reports = flow.number("new_studies"), flow.number("new_reports")
    if studies is not None and reports is not None and studies > reports:
        out.append(
            Failure(
                ("new_studies", "new_reports"),
                f'{_where(flow, "new_studies")}"{label("new_studies")}" (new_studies) is {studies}, more than '
                f'"{label("new_reports")}" (new_reports {reports}): every study has at least one report',
            )
        )
    for total, previous, new in (
        ("total_studies", "previous_studies", "new_studies"),
        ("total_reports", "previous_reports", "new_reports"),
    ):
        if not shows_previous(flow) or flow.number(total) is None or flow.number(new) is None:
            continue  # a new review's total box is not drawn (the template's 0 may stand in it)
        value, made = _terms(flow, (previous, new))
        expect(total, value, f"previous plus new ({made})", (previous, new))
    return out


def flow_notes(flow: f.Flow) -> list[str]:
    """What the arithmetic cannot settle, for the reviewer to look at (never a failure)."""
    notes = []
    if shows_other(flow) and flow.given("other_sought_reports"):
        found, made = _terms(flow, ("website_results", "organisation_results", "citations_results"))
        sought = flow.number("other_sought_reports")
        if flow.given("website_results", "organisation_results", "citations_results") and found != sought:
            notes.append(
                f"other methods: records identified ({made}) and reports sought for retrieval "
                f"(other_sought_reports {sought}) differ; PRISMA 2020 has no box for records of other "
                "methods left out before retrieval, so say in the text where they went"
            )
    return notes
