"""Read dataset files safely, validate them, and build the model.

Every problem is collected (not just the first) as a :class:`Problem` naming the file,
line, column, record and field. Nothing here knows about click or terminals.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import errors, model
from .datafiles import bundled_paths
from .yamlsafe import Mapping, Node, Scalar, YamlInputError, parse_yaml, parse_yaml_file
from .yamlsafe import Sequence as YSequence


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a data file."""

    path: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        # A file name may hold a newline; the problem must still be one line.
        path = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", self.path)
        if self.line is None:
            return f"{path}: {self.message}"
        return f"{path}:{self.line}:{self.column}: {self.message}"


class DataError(errors.DataError):
    """Raised when data files have problems; ``problems`` lists every one found."""

    def __init__(self, problems: Sequence[Problem]):
        problems = tuple(problems)
        first = str(problems[0]) if problems else "invalid data"
        more = len(problems) - 1
        suffix = (
            f" (and {more} more problem{'s' if more != 1 else ''}; run 'calcinosis validate' to list them)"
            if more
            else ""
        )
        super().__init__(first + suffix, problems)


# --- field specs -----------------------------------------------------------------------

# A spec maps a YAML key to (attribute name, converter, required).
Converter = Callable[[Node, "_Context"], object]
Spec = dict[str, tuple[str, Converter, bool]]


class _Invalid(Exception):
    """A field value that cannot be converted; caught and recorded as a Problem.

    ``more`` holds further (node, message) problems of the same value (items of a list).
    """

    def __init__(self, node: Node, message: str, more: Sequence[tuple[Node, str]] = ()):
        self.node = node
        self.message = message
        self.more = tuple(more)


class _Context:
    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def add(self, node: Node | None, message: str) -> None:
        line = getattr(node, "line", None)
        column = getattr(node, "column", None)
        self.problems.append(Problem(self.path, line, column, message))


def _describe(node: Node) -> str:
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, YSequence):
        return "a list"
    return f"{node.value!r}"


# Characters a text field may not hold: C0 controls but tab and newline, DEL, C1 controls, and
# the bidirectional embeddings, overrides and isolates that can make text display other than
# it reads ("Trojan Source"). Output formats carry text byte for byte, so they are refused here.
FORBIDDEN_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _forbidden(value: str) -> str | None:
    """Why ``value`` cannot be a text field, or None."""
    found = FORBIDDEN_IN_TEXT.search(value)
    if found is None:
        return None
    import unicodedata

    char = found.group()
    name = unicodedata.name(char, "control character")
    return (
        f"holds U+{ord(char):04X} ({name}) at character {found.start() + 1}; text may not hold control "
        "characters (other than tab and newline) or bidirectional overrides"
    )


def text(node: Node, ctx: _Context) -> str:
    if not isinstance(node, Scalar):
        raise _Invalid(node, f"expected text, got {_describe(node)}")
    if node.null or not node.value.strip():
        raise _Invalid(node, "a value is required (write null where the field may be empty)")
    problem = _forbidden(node.value)
    if problem:
        raise _Invalid(node, problem)
    return node.value


def optional_text(node: Node, ctx: _Context) -> str | None:
    if isinstance(node, Scalar) and node.null:
        return None
    return text(node, ctx)


def whole_number(node: Node, ctx: _Context) -> int:
    if not isinstance(node, Scalar) or node.null:
        raise _Invalid(
            node, f"expected a whole number, got {'nothing' if isinstance(node, Scalar) else _describe(node)}"
        )
    value = node.value
    if not node.plain:
        raise _Invalid(node, f"expected a whole number, got the quoted text {value!r} (remove the quotes)")
    if not value.isascii() or not value.isdigit():
        raise _Invalid(node, f"expected a whole number, got {value!r}")
    if len(value) > 1 and value.startswith("0"):
        raise _Invalid(node, f"expected a whole number without leading zeros, got {value!r}")
    if len(value) > 9:
        raise _Invalid(node, f"number {value!r} is too large")
    return int(value)


def optional_whole_number(node: Node, ctx: _Context) -> int | None:
    if isinstance(node, Scalar) and node.null:
        return None
    return whole_number(node, ctx)


def positive_number(node: Node, ctx: _Context) -> float:
    if not isinstance(node, Scalar) or node.null or not node.plain:
        raise _Invalid(node, f"expected a number, got {_describe(node)}")
    head, _, tail = node.value.partition(".")
    if not (head.isascii() and head.isdigit() and (not tail or (tail.isascii() and tail.isdigit()))):
        raise _Invalid(node, f"expected a number such as 2 or 2.5, got {node.value!r}")
    return float(node.value)


def boolean(node: Node, ctx: _Context) -> bool:
    if isinstance(node, Scalar) and node.plain and node.value in ("true", "false"):
        return node.value == "true"
    raise _Invalid(node, f"expected true or false, got {_describe(node)}")


def text_list(node: Node, ctx: _Context) -> tuple[str, ...]:
    """A list of text; every bad item is reported (at its own position), not just the first."""
    if isinstance(node, Scalar) and node.null:
        return ()
    if not isinstance(node, YSequence):
        raise _Invalid(node, f"expected a list of text, got {_describe(node)}")
    out = []
    bad: list[tuple[Node, str]] = []
    for item in node.items:
        if not isinstance(item, Scalar) or item.null:
            what = "nothing" if isinstance(item, Scalar) else _describe(item)
            bad.append((item, f"expected text in the list, got {what}"))
            continue
        problem = _forbidden(item.value)
        if problem:
            bad.append((item, problem))
            continue
        out.append(item.value)
    if len(bad) == 1:
        raise _Invalid(*bad[0])
    if bad:
        raise _Invalid(node, "", more=bad)
    return tuple(out)


def one_of(choices: Sequence[str]) -> Converter:
    def convert(node: Node, ctx: _Context) -> str:
        value = text(node, ctx)
        if value not in choices:
            raise _Invalid(node, f"{value!r} is not one of: {', '.join(choices)}")
        return value

    convert.json_schema = {"enum": list(choices)}  # type: ignore[attr-defined]
    return convert


def optional_one_of(choices: Sequence[str]) -> Converter:
    strict = one_of(choices)

    def convert(node: Node, ctx: _Context) -> str | None:
        if isinstance(node, Scalar) and node.null:
            return None
        return strict(node, ctx)

    convert.json_schema = {"enum": [*choices, None]}  # type: ignore[attr-defined]
    return convert


def list_of(choices: Sequence[str]) -> Converter:
    def convert(node: Node, ctx: _Context) -> tuple[str, ...]:
        values = text_list(node, ctx)
        bad = [
            (item, f"{item.value!r} is not one of: {', '.join(choices)}")
            for item in node.items
            if item.value not in choices
        ]  # type: ignore[union-attr]
        if bad:
            raise _Invalid(*bad[0], more=bad[1:])
        return values

    convert.json_schema = {"type": "array", "items": {"enum": list(choices)}}  # type: ignore[attr-defined]
    return convert


# JSON Schema fragments for `calcinosis schema`, kept beside the converters they describe.
text.json_schema = {"type": "string", "minLength": 1}  # type: ignore[attr-defined]
optional_text.json_schema = {"type": ["string", "null"]}  # type: ignore[attr-defined]
whole_number.json_schema = {"type": "integer", "minimum": 0}  # type: ignore[attr-defined]
optional_whole_number.json_schema = {"type": ["integer", "null"], "minimum": 0}  # type: ignore[attr-defined]
positive_number.json_schema = {"type": "number", "minimum": 0}  # type: ignore[attr-defined]
boolean.json_schema = {"type": "boolean"}  # type: ignore[attr-defined]
text_list.json_schema = {"type": "array", "items": {"type": "string", "minLength": 1}}  # type: ignore[attr-defined]

TALLY_SPEC: Spec = {
    "improved": ("improved", whole_number, False),
    "unchanged": ("unchanged", whole_number, False),
    "worsened": ("worsened", whole_number, False),
    "not_stated": ("not_stated", whole_number, False),
    "covers": ("covers", text_list, False),
}


def tally(node: Node, ctx: _Context) -> model.Tally | None:
    """A tally mapping; absent outcomes count 0, and ``covers`` defaults to the study itself."""
    if isinstance(node, Scalar) and node.null:
        return None
    if not isinstance(node, Mapping):
        raise _Invalid(node, f"expected a mapping of outcome counts, got {_describe(node)}")
    fields = _record(node, TALLY_SPEC, ctx, "tally")
    if fields is None:
        raise _Invalid(node, "")  # its problems are already recorded
    return model.Tally(**fields)


DATASET_SPEC: Spec = {
    "title": ("title", text, True),
    "version": ("version", text, True),
    "source": ("source", text, True),
    "table_title": ("table_title", text, False),
    "notes": ("notes", text_list, False),
}

QUIRK_SPEC: Spec = {
    "id": ("id", text, True),
    "text": ("text", text, True),
    "applies_to": ("applies_to", text_list, False),
}

FOOTNOTE_SPEC: Spec = {
    "marker": ("marker", text, True),
    "text": ("text", text, True),
}

TREATMENT_SPEC: Spec = {
    "id": ("id", text, True),
    "class": ("treatment_class", one_of(model.TREATMENT_CLASSES), True),
    "aliases": ("aliases", text_list, False),
}

DIAGNOSIS_SPEC: Spec = {
    "id": ("id", text, True),
    "aliases": ("aliases", text_list, False),
    "broader": ("broader", optional_text, False),
}

REFERENCE_SPEC: Spec = {
    "id": ("id", text, True),
    "number": ("number", optional_whole_number, False),
    "authors": ("authors", text_list, True),
    "et_al": ("et_al", boolean, False),
    "title": ("title", text, True),
    "journal": ("journal", text, True),
    "year": ("year", whole_number, True),
    "volume": ("volume", optional_text, False),
    "issue": ("issue", optional_text, False),
    "supplement": ("supplement", optional_text, False),
    "pages": ("pages", optional_text, False),
    "abstract_number": ("abstract_number", optional_text, False),
    "doi": ("doi", optional_text, False),
    "pmid": ("pmid", optional_text, False),
    "kind": ("kind", one_of(("journal article", "conference abstract", "review")), False),
    "notes": ("notes", text_list, False),
}

STUDY_SPEC: Spec = {
    "id": ("id", text, True),
    "source": ("source", one_of(model.SOURCES), True),
    "table_row": ("table_row", optional_whole_number, False),
    "treatment_printed": ("treatment_printed", text, True),
    "treatment": ("treatment", text, True),
    "dose": ("dose", optional_text, False),
    "phase": ("phase", optional_text, False),
    "n": ("n", whole_number, True),
    "diagnosis_printed": ("diagnosis_printed", optional_text, False),
    "diagnoses": ("diagnoses", text_list, False),
    "outcome_printed": ("outcome_printed", optional_text, False),
    "footnote": ("footnote", optional_text, False),
    "reference_printed": ("reference_printed", optional_text, False),
    "reference": ("reference", text, True),
    "spans_from": ("spans_from", optional_text, False),
    "design": ("design", one_of(model.DESIGNS), True),
    "tally": ("tally", tally, False),
    "outcome_measures": ("outcome_measures", list_of(model.OUTCOME_MEASURES), False),
    "notes": ("notes", text_list, False),
}

CASE_SPEC: Spec = {
    "number": ("number", whole_number, True),
    "study": ("study", text, True),
    "age_years": ("age_years", whole_number, True),
    "sex": ("sex", text, True),
    "ssc_subtype": ("ssc_subtype", text, True),
    "disease_duration_years": ("disease_duration_years", optional_whole_number, True),
    "disease_duration_text": ("disease_duration_text", optional_text, True),
    "lesion_sites": ("lesion_sites", text_list, True),
    "lesion_sites_text": ("lesion_sites_text", text, True),
    "largest_lesion_cm": ("largest_lesion_cm", positive_number, True),
    "largest_lesion_text": ("largest_lesion_text", text, True),
    "lesion_duration_before_treatment_text": ("lesion_duration_before_treatment_text", text, True),
    "dose_printed": ("dose_printed", text, True),
    "time_to_response_months": ("time_to_response_months", optional_whole_number, True),
    "time_to_response_text": ("time_to_response_text", optional_text, True),
    "response": ("response", one_of(("complete resolution", "partial response", "no change", "worsened")), True),
    "response_text": ("response_text", text, True),
    "coagulation_text": ("coagulation_text", text, True),
    "bleeding_text": ("bleeding_text", text, True),
    "follow_up_text": ("follow_up_text", text, True),
    "notes": ("notes", text_list, False),
}

LATER_SPEC: Spec = {
    "id": ("id", text, True),
    "reference": ("reference", text, True),
    "statement": ("statement", text, True),
    "treatments": ("treatments", text_list, False),
    "classes": ("classes", list_of(model.TREATMENT_CLASSES), False),
    "level": ("level", optional_text, False),
    "scope": ("scope", optional_text, False),
}

# Top-level sections: key -> (record spec, model class, is a list).
SECTIONS: dict[str, tuple[Spec, type, bool]] = {
    "dataset": (DATASET_SPEC, dict, False),
    "quirks": (QUIRK_SPEC, model.Quirk, True),
    "footnotes": (FOOTNOTE_SPEC, model.Footnote, True),
    "treatments": (TREATMENT_SPEC, model.Treatment, True),
    "diagnoses": (DIAGNOSIS_SPEC, model.Diagnosis, True),
    "references": (REFERENCE_SPEC, model.Reference, True),
    "studies": (STUDY_SPEC, model.Study, True),
    "cases": (CASE_SPEC, model.Case, True),
    "later_evidence": (LATER_SPEC, model.LaterEvidence, True),
}


def _record(node: Node, spec: Spec, ctx: _Context, label: str, partial: list | None = None) -> dict | None:
    """Convert one mapping by ``spec``; record problems and return None if any.

    With ``partial``, the fields that did convert in a record with problems are appended
    to it, so that cross-checks can still report, say, an unknown treatment in that record.
    """
    if not isinstance(node, Mapping):
        ctx.add(node, f"{label}: expected a mapping of fields, got {_describe(node)}")
        return None
    ident = node.items.get("id")
    if ident is not None and isinstance(ident[1], Scalar) and ident[1].value:
        label = f"{label} {ident[1].value!r}"
    ok = True
    fields: dict[str, object] = {}
    for key, (key_node, value_node) in node.items.items():
        entry = spec.get(key)
        if entry is None:
            ctx.add(key_node, f"{label}: unknown field {key!r} (known fields: {', '.join(spec)})")
            ok = False
            continue
        attr, convert, _required = entry
        try:
            fields[attr] = convert(value_node, ctx)
        except _Invalid as err:
            for at, message in ((err.node, err.message), *err.more):
                if message:
                    ctx.add(at, f"{label} field {key!r}: {message}")
            ok = False
    for key, (_attr, _convert, required) in spec.items():
        if required and key not in node.items:
            ctx.add(node, f"{label}: missing required field {key!r}")
            ok = False
    if not ok and partial is not None:
        partial.append((fields, node))
    return fields if ok else None


@dataclass
class _FileContent:
    path: str
    dataset: dict | None
    records: dict[str, list[tuple[object, Node]]]  # section -> [(model object, node)]
    partial_studies: list[tuple[dict, Node]] = field(default_factory=list)  # fields of studies with problems


# progress(stage, done, total): called now and then while a large file is read and checked.
Progress = Callable[[str, int, int], None]


def _read_file(path: Path, data: bytes | None, ctx: _Context, progress: Progress | None = None) -> _FileContent | None:
    name = path.name
    try:
        if data is None:
            root = parse_yaml_file(path)
        elif progress is None:
            root = parse_yaml(data, str(path))
        else:
            root = parse_yaml(data, str(path), lambda done, total: progress(f"reading {name}", done, total))
    except YamlInputError as err:
        ctx.problems.append(Problem(err.path, err.line, err.column, err.message))
        return None
    if not isinstance(root, Mapping):
        ctx.add(root, f"the file must be a mapping of sections ({', '.join(SECTIONS)}), got {_describe(root)}")
        return None
    content = _FileContent(str(path), None, {})
    for key, (key_node, value_node) in root.items.items():
        if key not in SECTIONS:
            ctx.add(key_node, f"unknown section {key!r} (known sections: {', '.join(SECTIONS)})")
            continue
        spec, cls, is_list = SECTIONS[key]
        if not is_list:
            content.dataset = _record(value_node, spec, ctx, key)
            continue
        if isinstance(value_node, Scalar) and value_node.null:
            continue
        if not isinstance(value_node, YSequence):
            ctx.add(value_node, f"section {key!r}: expected a list of records, got {_describe(value_node)}")
            continue
        out = content.records.setdefault(key, [])
        for index, item in enumerate(value_node.items):
            if progress is not None and not index % 2000:
                progress(f"checking {name}", index, len(value_node.items))
            partial = content.partial_studies if cls is model.Study else None
            fields = _record(item, spec, ctx, f"{key}[{index}]", partial)
            if fields is None:
                continue
            if cls is model.Study:
                fields["origin"] = f"{path}:{item.line}"
            if cls is model.Study and fields.get("tally") is not None and not fields["tally"].covers:
                t = fields["tally"]
                fields["tally"] = model.Tally(t.improved, t.unchanged, t.worsened, t.not_stated, (fields["id"],))
            out.append((cls(**fields), item))
    return content


def _key(section: str, obj: object) -> str:
    if section == "footnotes":
        return obj.marker  # type: ignore[attr-defined]
    if section == "cases":
        return f"{obj.study}#{obj.number}"  # type: ignore[attr-defined]
    return obj.id  # type: ignore[attr-defined]


def _cross_check(ds: dict, nodes: dict[tuple[str, str], tuple[str, Node]], problems: list[Problem]) -> None:
    """Check that every reference between records resolves and that tallies add up."""

    def add(section: str, key: str, message: str) -> None:
        path, node = nodes[(section, key)]
        # Point at the field the message names ("field 'reference'"), else at the record.
        named = re.search(r"field '(\w+)", message)
        if named and isinstance(node, Mapping) and named.group(1) in node.items:
            node = node.items[named.group(1)][1]
        problems.append(Problem(path, node.line, node.column, message))

    treatments, diagnoses, references = ds["treatments"], ds["diagnoses"], ds["references"]
    footnotes, studies = ds["footnotes"], ds["studies"]
    for term in diagnoses.values():
        if term.broader is not None and term.broader not in diagnoses:
            add("diagnoses", term.id, f"diagnosis {term.id!r} field 'broader': unknown diagnosis {term.broader!r}")
    for study in studies.values():
        label = f"study {study.id!r}"
        if study.treatment not in treatments:
            add(
                "studies",
                study.id,
                f"{label} field 'treatment': unknown treatment {study.treatment!r} (define it under 'treatments')",
            )
        if study.reference not in references:
            add("studies", study.id, f"{label} field 'reference': unknown reference {study.reference!r}")
        for term in study.diagnoses:
            if term not in diagnoses:
                add(
                    "studies",
                    study.id,
                    f"{label} field 'diagnoses': unknown diagnosis {term!r} (define it under 'diagnoses')",
                )
        if study.footnote is not None and study.footnote not in footnotes:
            add("studies", study.id, f"{label} field 'footnote': unknown footnote marker {study.footnote!r}")
        if study.spans_from is not None and study.spans_from not in studies:
            add("studies", study.id, f"{label} field 'spans_from': unknown study {study.spans_from!r}")
        if study.tally is None:
            covered = (
                study.spans_from in studies and study.id in (studies[study.spans_from].tally or model.Tally()).covers
            )
            if not covered:
                add("studies", study.id, f"{label}: no tally, and no tally of another study covers it")
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
        for name in note.treatments:
            if name not in treatments:
                add(
                    "later_evidence",
                    note.id,
                    f"later evidence {note.id!r} field 'treatments': unknown treatment {name!r}",
                )


def _check_partial_studies(ds: dict, partial: list[tuple[str, dict, Node]], problems: list[Problem]) -> None:
    """Report unresolved references in studies that also had field problems."""
    lookups = (
        ("treatment", "treatments", "treatment"),
        ("reference", "references", "reference"),
        ("footnote", "footnotes", "footnote marker"),
    )
    for path, fields, node in partial:
        label = f"study {fields['id']!r}" if fields.get("id") else "study"
        for attr, section, noun in lookups:
            value = fields.get(attr)
            if value is not None and value not in ds[section]:
                at = node.items[attr][1]  # the value's own position
                problems.append(Problem(path, at.line, at.column, f"{label} field {attr!r}: unknown {noun} {value!r}"))
        for term in fields.get("diagnoses", ()):
            if term not in ds["diagnoses"]:
                at = node.items["diagnoses"][1]
                message = f"{label} field 'diagnoses': unknown diagnosis {term!r}"
                problems.append(Problem(path, at.line, at.column, message))


def check_files(
    paths: Iterable[str | os.PathLike], contents: Sequence[bytes] | None = None, progress: Progress | None = None
) -> tuple[dict | None, list[Problem]]:
    """Read, validate and merge ``paths`` (whose bytes may be given); return the parts and every problem."""
    paths = list(paths)
    problems: list[Problem] = []
    merged: dict[str, dict] = {key: {} for key, (_, _, is_list) in SECTIONS.items() if is_list}
    nodes: dict[tuple[str, str], tuple[str, Node]] = {}
    meta: dict | None = None
    files: list[str] = []
    partial_studies: list[tuple[str, dict, Node]] = []
    for index, path in enumerate(paths):
        ctx = _Context(str(path))
        content = _read_file(Path(path), contents[index] if contents is not None else None, ctx, progress)
        problems.extend(ctx.problems)
        if content is None:
            continue
        files.append(content.path)
        partial_studies.extend((content.path, fields, node) for fields, node in content.partial_studies)
        if content.dataset is not None and meta is None:
            meta = content.dataset
        for section, items in content.records.items():
            for obj, node in items:
                key = _key(section, obj)
                if (section, key) in nodes:
                    first_path, first = nodes[(section, key)]
                    problems.append(
                        Problem(
                            content.path,
                            node.line,
                            node.column,
                            f"{section}: duplicate id {key!r} (first defined at {first_path}:{first.line})",
                        )
                    )
                    continue
                nodes[(section, key)] = (content.path, node)
                merged[section][key] = obj
    # Cross-checks run on the records that loaded, so one bad record does not hide the rest,
    # and on what did load of records with problems, so each record's problems are all listed.
    _cross_check(merged, nodes, problems)
    _check_partial_studies(merged, partial_studies, problems)
    problems.sort(key=lambda p: (p.path, p.line or 0, p.column or 0))
    merged["meta"] = meta or {}
    merged["files"] = files
    return merged, problems


def load_dataset(
    paths: Iterable[str | os.PathLike] | None = None,
    contents: Sequence[bytes] | None = None,
    progress: Progress | None = None,
) -> model.Dataset:
    """Load and validate the files (the bundled data by default); raise DataError on problems."""
    merged, problems = check_files(bundled_paths() if paths is None else paths, contents, progress)
    if problems:
        raise DataError(problems)
    meta = merged["meta"]
    return model.Dataset(
        title=meta.get("title", "User dataset"),
        version=meta.get("version", "unversioned"),
        source=meta.get("source", ""),
        table_title=meta.get("table_title", ""),
        treatments=merged["treatments"],
        diagnoses=merged["diagnoses"],
        footnotes=merged["footnotes"],
        references=merged["references"],
        studies=tuple(merged["studies"].values()),
        cases=tuple(merged["cases"].values()),
        quirks=tuple(merged["quirks"].values()),
        later_evidence=tuple(merged["later_evidence"].values()),
        notes=tuple(meta.get("notes", ())),
        files=tuple(merged["files"]),
    ).with_index()
