"""A JSON Schema of the dataset format, generated from the field specs in fields.py.

Every property carries the field's description and an example, so that editors that check
YAML against a schema (the YAML language server, for one) show them on hover.
"""

from __future__ import annotations

from typing import Any

from .. import __version__
from .fields import Field, Spec
from .sections import SECTIONS


def _field_schema(entry: Field) -> dict[str, Any]:
    nested = getattr(entry.convert, "spec", None)
    if nested is not None:
        schema = _object(nested)
        if getattr(entry.convert, "is_list", False):
            schema = {"type": "array", "items": schema}
        elif not entry.required:
            schema = {"anyOf": [schema, {"type": "null"}]}
    else:
        schema = dict(entry.convert.json_schema)  # type: ignore[attr-defined]
    schema["description"] = entry.description
    if entry.example is not None:
        schema["examples"] = [entry.example]
    return schema


def _object(spec: Spec, description: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {key: _field_schema(entry) for key, entry in spec.items()},
        "required": [key for key, entry in spec.items() if entry.required],
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def dataset_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a dataset file. Cross-references are checked by
    'calcinosis validate', not by the schema."""
    properties: dict[str, Any] = {}
    for name, section in SECTIONS.items():
        record = _object(section.spec)
        if section.is_list:
            properties[name] = {"type": ["array", "null"], "items": record, "description": section.description}
        else:
            record["description"] = section.description
            properties[name] = record
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://calcinosis.invalid/schema/dataset-{__version__}.json",
        "title": "calcinosis dataset file",
        "description": (
            "A YAML dataset file for calcinosis. All sections are optional in a user's file; "
            "references, treatments, classes and diagnoses may point into the bundled vocabulary "
            "and dataset. Run 'calcinosis validate FILE' for the checks a schema cannot express."
        ),
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
