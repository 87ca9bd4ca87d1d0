"""A dataset as a data file (YAML): what `export --format yaml` and `import` write.

The file is built from the field specs (fields.py), the same ones that read it, so that it
reads back to the same records: a field is written when it is required or differs from the
model's default; a tally's ``covers`` only when it covers more than its own row; a study's
footnote as its marker, the footnote itself under ``footnotes``. Terms of the tool's own
vocabulary are not written (every dataset is read with it).
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import model
from ..dataset.fields import SECTIONS, Spec
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


def _study(study: model.Study) -> dict[str, object]:
    out = _record(study, SECTIONS["studies"].spec)
    tally = out.get("tally")
    if isinstance(tally, dict) and tally.get("covers") == [study.id]:
        del tally["covers"]
    return out


def _footnotes(footnotes: Iterable[model.Footnote]) -> list[dict[str, object]]:
    """One list of footnotes; a marker two files use for different texts cannot be one file's."""
    seen: dict[str, model.Footnote] = {}
    for note in footnotes:
        first = seen.setdefault(note.marker, note)
        if first.text != note.text:
            raise OutputError(
                f"footnote marker {note.marker!r} means one thing in {first.file} and another in {note.file}; "
                "a data file holds one footnote per marker: change the marker in one file, or export the files apart"
            )
    return [_record(note, SECTIONS["footnotes"].spec) for note in seen.values()]


def dataset_sections(ds: model.Dataset, with_meta: bool = True) -> dict[str, object]:
    """The dataset as the sections of one data file, in the order the format lists them."""
    sections: dict[str, object] = {}
    if with_meta and ds.source:
        meta = {"title": ds.title, "version": ds.version, "source": ds.source}
        if ds.table_title:
            meta["table_title"] = ds.table_title
        if ds.notes:
            meta["notes"] = list(ds.notes)
        sections["dataset"] = meta
    own = [
        ("quirks", ds.quirks),
        ("footnotes", ()),
        ("classes", [c for c in ds.classes.values() if c.origin != model.TOOL_VOCABULARY]),
        ("treatments", [t for t in ds.treatments.values() if t.origin != model.TOOL_VOCABULARY]),
        ("diagnoses", [d for d in ds.diagnoses.values() if d.origin != model.TOOL_VOCABULARY]),
        ("references", ds.references.values()),
        ("studies", ds.studies),
        ("cases", ds.cases),
        ("later_evidence", ds.later_evidence),
    ]
    for name, records in own:
        if name == "footnotes":  # a study's footnote is one its file declares: all are here
            notes = _footnotes(ds.footnotes)
            if notes:
                sections[name] = notes
            continue
        spec = SECTIONS[name].spec
        items = [_study(r) if name == "studies" else _record(r, spec) for r in records]
        if items:
            sections[name] = items
    return sections


def render_dataset_file(sections: dict[str, object], header: str) -> bytes:
    """The sections as YAML, after ``header`` (comment lines)."""
    import yaml

    body = yaml.safe_dump(sections, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    lines = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return (lines + "\n" + body).encode("utf-8")
