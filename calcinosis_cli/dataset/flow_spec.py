"""The `flow:` section of a data file: a PRISMA 2020 flow diagram's numbers, by the keys of the
PRISMA2020 package's template (model/flow.py). Read here with the other sections, so that
`calcinosis validate` reports its problems at their lines; drawn by `calcinosis prisma FILE`."""

from __future__ import annotations

from ..model import flow
from .fields import Context, Field, Invalid, Spec, describe, text
from .tree import Mapping, Node, Scalar


def count(node: Node, ctx: Context) -> int | None:
    """A box's number; null (or NA) where the box is not drawn."""
    if isinstance(node, Scalar) and (node.null or node.value == "NA"):
        return None
    if not isinstance(node, Scalar):
        raise Invalid(node, f"expected a whole number, got {describe(node)}")
    try:
        return flow.parse_count(node.value)
    except ValueError as err:
        raise Invalid(node, str(err)) from None


def named_counts(node: Node, ctx: Context) -> flow.Pairs | int | None:
    """Named numbers: a mapping ({"wrong population": 12}) or the template's text
    ("wrong population, 12; ..."); for the excluded reports also one number (no reasons)."""
    if isinstance(node, Scalar) and (node.null or node.value == "NA"):
        return None
    if isinstance(node, Mapping):
        out = []
        for name, (_key_node, value) in node.items.items():
            number = count(value, ctx)
            if number is None:
                raise Invalid(value, f"{name!r}: expected a whole number, got nothing")
            out.append((name, number))
        return tuple(out)
    if isinstance(node, Scalar):
        if node.plain and node.value.strip().lstrip("-").isdigit():
            return count(node, ctx)  # checked again where only lists are allowed
        try:
            return flow.parse_pairs(node.value)
        except ValueError as err:
            raise Invalid(node, str(err)) from None
    raise Invalid(node, f"expected a mapping of names to numbers, got {describe(node)}")


def box_texts(node: Node, ctx: Context) -> dict[str, str]:
    """Box wording of the reviewer's own, by key ({database_results: "MEDLINE and Embase"})."""
    if isinstance(node, Scalar) and node.null:
        return {}
    if not isinstance(node, Mapping):
        raise Invalid(node, f"expected a mapping of box keys to text, got {describe(node)}")
    from ..words import did_you_mean

    out, bad = {}, []
    for key, (key_node, value) in node.items.items():
        if key not in flow.KEYS:
            bad.append((key_node, f"unknown box {key!r}{did_you_mean(key, flow.KEYS)}"))
            continue
        try:
            out[key] = text(value, ctx)
        except Invalid as err:
            bad.append((err.node, f"{key!r}: {err.message}"))
    if bad:
        raise Invalid(*bad[0], more=bad[1:])
    return out


count.json_schema = {"type": ["integer", "null"], "minimum": 0}  # type: ignore[attr-defined]
named_counts.json_schema = {  # type: ignore[attr-defined]
    "anyOf": [
        {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
        {"type": "string"},
        {"type": "integer", "minimum": 0},
        {"type": "null"},
    ]
}
box_texts.json_schema = {  # type: ignore[attr-defined]
    "type": "object",
    "propertyNames": {"enum": list(flow.KEYS)},
    "additionalProperties": {"type": "string", "minLength": 1},
}

# One fictional flow whose numbers add up (the starter file's example; not evidence).
_EXAMPLES = {
    "previous_studies": 5,
    "previous_reports": 6,
    "database_results": 312,
    "database_specific_results": {"MEDLINE": 180, "Embase": 132},
    "register_results": 20,
    "register_specific_results": {"ClinicalTrials.gov": 20},
    "website_results": 4,
    "organisation_results": 2,
    "citations_results": 9,
    "duplicates": 40,
    "excluded_automatic": 0,
    "excluded_other": 2,
    "records_screened": 290,
    "records_excluded": 250,
    "dbr_sought_reports": 40,
    "dbr_notretrieved_reports": 3,
    "other_sought_reports": 15,
    "other_notretrieved_reports": 1,
    "dbr_assessed": 37,
    "dbr_excluded": {"wrong population": 12, "wrong intervention": 9, "no outcome reported": 8},
    "other_assessed": 14,
    "other_excluded": {"wrong population": 6, "review article": 5},
    "new_studies": 9,
    "new_reports": 11,
    "total_studies": 14,
    "total_reports": 17,
}


def flow_spec() -> Spec:
    """The fields of a flow: every count and list key of the template, and box texts."""
    spec: Spec = {}
    for key in flow.KEYS:
        if key in flow.TITLE_KEYS:
            continue
        convert = named_counts if key in flow.LIST_KEYS else count
        description = flow.DESCRIPTIONS[key].split(": [")[0]
        spec[key] = Field(key, convert, key in flow.REQUIRED_KEYS, description, _EXAMPLES[key])
    spec["boxtext"] = Field(
        "boxtext", box_texts, False, "box wording of your own, by key (default: the template's)", {}
    )
    return spec
