"""A JSON Schema of the dataset format, generated from the loader's own field specs."""

from __future__ import annotations

from typing import Any

from . import __version__
from .load import SECTIONS, TALLY_SPEC, Spec, tally

tally.json_schema = None  # type: ignore[attr-defined]  # filled from TALLY_SPEC below


def _object(spec: Spec, description: str | None = None) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for key, (_attr, convert, _required) in spec.items():
        properties[key] = _object(TALLY_SPEC) if convert is tally else dict(convert.json_schema)  # type: ignore[attr-defined]
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": [k for k, (_a, _c, required) in spec.items() if required],
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def dataset_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a dataset file. Cross-references are checked by
    'calcinosis validate', not by the schema."""
    properties: dict[str, Any] = {}
    for section, (spec, _cls, is_list) in SECTIONS.items():
        record = _object(spec)
        properties[section] = {"type": ["array", "null"], "items": record} if is_list else record
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://calcinosis.invalid/schema/dataset-{__version__}.json",
        "title": "calcinosis dataset file",
        "description": (
            "A YAML dataset file for calcinosis. All sections are optional in a user's file; "
            "references, treatments and diagnoses may point into the bundled dataset. "
            "Run 'calcinosis validate FILE' for the checks a schema cannot express."
        ),
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
