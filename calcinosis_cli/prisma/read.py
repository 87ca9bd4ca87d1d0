"""A reviewer's flow, from any of its three forms: the PRISMA2020 CSV template (.csv), a YAML
mapping of the same keys, or the `flow:` section of a data file (.yaml, .yml). Every problem is
reported at its file, line and key; a flow with problems is not drawn."""

from __future__ import annotations

import os

from ..errors import DataError, Problem
from ..model import flow as f

HINT = "each is listed above"


def read_flow(path: str) -> f.Flow:
    """The flow in ``path``; DataError listing every problem."""
    from ..dataset.files import read_file_bytes

    return read_flow_bytes(path, read_file_bytes(path))


def read_flow_bytes(path: str, data: bytes) -> f.Flow:
    """The flow in ``data``, read from ``path`` (its suffix says the form)."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix in (".yaml", ".yml"):
        flow, problems = _from_yaml(path, data)
    else:
        flow, problems = _from_template(path, data)
    if flow is not None:
        problems += _completeness(flow)
    if problems:
        raise DataError(problems, hint=HINT)
    assert flow is not None
    return flow


def _from_template(path: str, data: bytes) -> tuple[f.Flow | None, list[Problem]]:
    from .template import read_template

    numbers, texts, problems = read_template(path, data)
    counts: dict[str, int] = {}
    lists: dict[str, f.Pairs] = {}
    for key, cell in numbers.items():
        if cell.text in ("", "NA") or (key in f.LIST_KEYS and cell.text == f.placeholder(key)):
            continue  # a box left out, or a list the reviewer has not filled (the template's placeholder)
        try:
            if key in f.LIST_KEYS and not (key in f.EXCLUDED_KEYS and cell.text.lstrip("-").strip().isdigit()):
                lists[key] = f.parse_pairs(cell.text)
            else:
                counts[key] = f.parse_count(cell.text)
        except ValueError as err:
            message = str(err)
            if "xxx" in cell.text:
                message += " (the template's placeholder xxx: write the numbers, or leave n empty)"
            problems.append(Problem(path, cell.line, cell.column, message, f"line {cell.line}, {key}"))
    places = {key: f"line {cell.line}" for key, cell in numbers.items()}
    flow = f.Flow(path, counts, lists, {k: c.text for k, c in texts.items()}, places)
    return (None if problems else flow), problems


def _from_yaml(path: str, data: bytes) -> tuple[f.Flow | None, list[Problem]]:
    from ..dataset.fields import Context, convert_record
    from ..dataset.specs import FLOW_SPEC
    from ..dataset.tree import Mapping
    from ..dataset.yamlsafe import YamlInputError, parse_yaml
    from ..errors import Problems

    try:
        root = parse_yaml(data, path)
    except YamlInputError as err:
        return None, [Problem(path, err.line, err.column, err.message)]
    if not isinstance(root, Mapping):
        return None, [Problem(path, 1, 1, "expected a mapping of the template's keys (or a data file with flow:)")]
    node = root
    from ..dataset.sections import SECTIONS

    if "flow" in root.items or any(key in SECTIONS for key in root.items):
        if "flow" not in root.items:
            return None, [Problem(path, 1, 1, "the data file has no flow: section")]
        node = root.items["flow"][1]
    problems = Problems()
    fields = convert_record(node, FLOW_SPEC, Context(path, problems), "flow")
    if fields is None:
        return None, list(problems)
    counts: dict[str, int] = {}
    lists: dict[str, f.Pairs] = {}
    found: list[Problem] = []
    for key, value in fields.items():
        if key == "boxtext" or value is None:
            continue
        if isinstance(value, tuple):
            lists[key] = value
        elif key in f.LIST_KEYS and key not in f.EXCLUDED_KEYS:
            key_node = node.items[key][1]  # type: ignore[union-attr]
            found.append(
                Problem(path, key_node.line, key_node.column, f"flow field {key!r}: expected names with numbers")
            )
        else:
            counts[key] = value  # type: ignore[assignment]
    places = {key: f"line {key_node.line}" for key, (key_node, _value) in node.items.items()}  # type: ignore[union-attr]
    flow = f.Flow(path, counts, lists, dict(fields.get("boxtext") or {}), places)  # type: ignore[arg-type]
    return (None if found else flow), found


def _completeness(flow: f.Flow) -> list[Problem]:
    """The boxes every flow needs, and those its other columns need once they are drawn."""
    needed = list(f.REQUIRED_KEYS)
    if shows_other(flow):
        needed += ["other_sought_reports", "other_notretrieved_reports", "other_assessed", "other_excluded"]
    if shows_previous(flow):
        needed += ["total_studies"] + (["total_reports"] if flow.given("previous_reports") else [])
    out = []
    for key in needed:
        if flow.number(key) is None:
            where = flow.places.get(key)
            given = f"{where}, {key}" if where else key
            out.append(
                Problem(
                    flow.path,
                    None,
                    None,
                    f"missing required box {key!r} ({f.DESCRIPTIONS[key].split(': [')[0]})",
                    given,
                )
            )
    if not flow.given(*f.IDENTIFIED_KEYS):
        out.append(
            Problem(
                flow.path,
                None,
                None,
                "no records identified: give database_results or register_results",
                "database_results",
            )
        )
    return out


OTHER_KEYS = (
    "website_results",
    "organisation_results",
    "citations_results",
    "other_sought_reports",
    "other_notretrieved_reports",
    "other_assessed",
    "other_excluded",
)


def shows_other(flow: f.Flow) -> bool:
    """The "other methods" column is drawn when any of its boxes has a number above 0."""
    return flow.any_nonzero(*OTHER_KEYS)


def shows_previous(flow: f.Flow) -> bool:
    """The previous-studies column (an updated review) is drawn when it has a number above 0."""
    return flow.any_nonzero("previous_studies", "previous_reports")
