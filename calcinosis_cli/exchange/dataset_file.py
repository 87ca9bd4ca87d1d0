"""A dataset as a data file (YAML): what `export --format yaml` and `import` write.

The file is built from the field specs (fields.py), the same ones that read it, so that it
reads back to the same records: a field is written when it is required or differs from the
model's default; a tally's ``covers`` only when it covers more than its own row; a study's
footnote as its marker, the footnote itself under ``footnotes``. Terms of the tool's own
vocabulary are not written (every dataset is read with it).
"""

from __future__ import annotations

from .. import model
from ..dataset.fields import Spec
from ..dataset.sections import LIST_SECTIONS
from ..errors import OutputError


def _value(value: object, convert) -> object:
    spec = getattr(convert, "spec", None)
    if spec is not None and isinstance(value, tuple) and getattr(convert, "is_list", False):
        return [_record(item, spec) for item in value]
    if spec is not None and value is not None:
        return _record(value, spec)
    if isinstance(value, tuple):
        return list(value)
    return value


def _record(obj, spec: Spec) -> dict[str, object]:
    defaults = type(obj)._field_defaults
    out: dict[str, object] = {}
    for key, field in spec.items():
        value = getattr(obj, field.attr)
        if not field.required and field.attr in defaults and value == defaults[field.attr]:
            continue
        if isinstance(value, model.Footnote):
            value = value.marker
        out[key] = _value(value, field.convert)
    return out


def _records(section, records) -> list[dict[str, object]]:
    """The records of one section as written; records that share their key in one file are
    written once, and must then be the same."""
    spec = section.spec
    out: dict[str, tuple[object, dict[str, object]]] = {}
    for index, record in enumerate(records):
        written = _record(record, spec)
        if section.unprepare is not None:
            section.unprepare(record, written)
        key = section.file_key(record) if section.file_key is not None else str(index)
        first = out.setdefault(key, (record, written))
        if first[1] != written:
            raise OutputError(
                f"{section.file_key_label} {key!r} means one thing in {getattr(first[0], 'file', '?')} and another in "
                f"{getattr(record, 'file', '?')}; a data file holds one of each: change it in one file, or export "
                "the files apart"
            )
    return [written for _record_, written in out.values()]


def dataset_sections(ds: model.Dataset, with_meta: bool = True) -> dict[str, object]:
    """The dataset as the sections of one data file, in the order the format lists them. Terms
    of the tool's own vocabulary are left out: every dataset is read with them."""
    sections: dict[str, object] = {}
    if with_meta and ds.source:
        meta = {"title": ds.title, "version": ds.version, "source": ds.source}
        if ds.table_title:
            meta["table_title"] = ds.table_title
        if ds.notes:
            meta["notes"] = list(ds.notes)
        sections["dataset"] = meta
    for section in LIST_SECTIONS:
        held = getattr(ds, section.attr)
        records = list(held.values() if section.keyed else held)
        if section.tool_terms:
            records = [r for r in records if r.origin != model.TOOL_VOCABULARY]
        items = _records(section, records)
        if items:
            sections[section.name] = items
    return sections


def render_dataset_file(sections: dict[str, object], header: str) -> bytes:
    """The sections as YAML, after ``header`` (comment lines)."""
    import yaml

    body = yaml.safe_dump(sections, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    lines = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return (lines + "\n" + body).encode("utf-8")
