"""The starter data file `calcinosis new` writes, generated from the field specs (fields.py).

Every section is there with its meaning; under it, one example record, commented out, each
field with whether it is required and what it means. The file holds no record until the
user writes one, so it validates as it is and adds nothing to any total. Taken together, the
examples are one consistent fictional entry (a reference, its treatment, a study row citing
it, ...): remove the leading "# " of every example line and the file still validates. Fields
whose example would need another record than these (a tally covering other rows, arms beside
a tally) are named under "also", with their meaning, and left out of the example.
"""

from __future__ import annotations

from .. import __version__
from ..dataset.fields import Spec
from ..dataset.sections import SECTIONS

# Fields left out of the examples, by the spec they belong to (see the module docstring).
_ALSO = {
    "studies": ("phase", "spans_from", "arms"),
    "tally": ("covers", "alternative"),
    "certainty": ("class",),  # a scope is a treatment or a class: the example has the treatment
}
_COMMENT_AT = 44  # the column the field comments start at

_HEADER = f"""\
A calcinosis data file (written by calcinosis {__version__} new).

Check it: calcinosis validate FILE
Use it beside the bundled data: calcinosis --data FILE list
Use it alone: calcinosis --no-bundled --data FILE list
The format: calcinosis schema (a JSON Schema; editors show these notes on hover)
Terms to use: calcinosis terms (treatments, classes, diagnoses and their aliases)

Every section is optional. Under each is one example record, commented out: copy it, remove
the "# " before its lines and write what your source prints. Printed text goes in the
*_printed and *_text fields verbatim; counts only as the source states them; nothing the
source does not say (no DOI, PMID or count of your own). Until you write a record, the file
adds nothing to any total. The examples together are one fictional entry: they are there to
show the form, not as evidence."""


def _flow(value: object) -> str:
    import yaml

    if isinstance(value, str) and value.replace(".", "").isdigit():
        return f'"{value}"'  # a version, volume or number that is text: quoted, as the format asks
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def _line(indent: str, text: str, comment: str) -> str:
    body = f"# {indent}{text}"
    return f"{body:<{_COMMENT_AT}} # {comment}" if len(body) < _COMMENT_AT else f"{body}  # {comment}"


def _record_lines(spec: Spec, indent: str, first: str, also_key: str) -> list[str]:
    """The example record, its first line starting with ``first`` ("- " or "")."""
    lines: list[str] = []
    leave_out = _ALSO.get(also_key, ())
    lead = first
    also = []
    for key, field in spec.items():
        if key in leave_out:
            also.append(f"{key}: {field.description}")
            continue
        need = "required" if field.required else "optional"
        nested = getattr(field.convert, "spec", None)
        pad = indent + lead
        if nested is not None and not getattr(field.convert, "is_list", False):
            lines.append(_line(pad, f"{key}:", f"{need}: {field.description}"))
            lines.extend(_record_lines(nested, indent + " " * len(lead) + "  ", "", key))
        else:
            lines.append(_line(pad, f"{key}: {_flow(field.example)}", f"{need}: {field.description}"))
        lead = " " * len(first)
    lines.extend(f"# {indent}{' ' * len(first)}# also {item}" for item in also)
    return lines


def starter_file() -> str:
    """The text of the starter file."""
    out = [f"# {line}".rstrip() for line in _HEADER.splitlines()]
    for name, section in SECTIONS.items():
        out.append("")
        if not section.is_list:
            out.append(f"# {name}:                                   # {section.description}")
            out.extend(_record_lines(section.spec, "  ", "", name))
            continue
        out.append(f"{name}:  # {section.description}")
        out.extend(_record_lines(section.spec, "", "- ", name))
    return "\n".join(out) + "\n"
