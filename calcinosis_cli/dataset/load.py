"""Read dataset files safely, validate them, resolve names, and build the model.

Every problem is collected (not just the first) as a :class:`Problem` naming the file,
line, column, record and field. The format itself (sections, fields, converters) is in
fields.py. Nothing here knows about click or terminals.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import errors, model
from ..words import did_you_mean, fold
from .fields import SECTIONS, Context, convert_record, describe
from .files import bundled_paths, vocabulary_path
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


# progress(stage, done, total): called now and then while a large file is read and checked.
Progress = Callable[[str, int, int], None]


@dataclass
class _FileContent:
    path: str
    dataset: dict | None
    records: dict[str, list[tuple[object, Node]]]  # section -> [(model object, node)]
    partial_studies: list[tuple[dict, Node]] = field(default_factory=list)  # fields of studies with problems


def _problems(ctx: Context) -> list[Problem]:
    return [Problem(ctx.path, line, column, message) for line, column, message in ctx.found]


def _read_file(
    path: Path, data: bytes | None, ctx: Context, progress: Progress | None = None, root: Node | None = None
) -> _FileContent | None:
    """The records of one file; ``root``, when given, is its tree already built (an import)."""
    name = path.name
    if root is None:
        try:
            if data is None:
                root = parse_yaml_file(path)
            elif progress is None:
                root = parse_yaml(data, str(path))
            else:
                root = parse_yaml(data, str(path), lambda done, total: progress(f"reading {name}", done, total))
        except YamlInputError as err:
            ctx.found.append((err.line, err.column, err.message))
            return None
    if not isinstance(root, Mapping):
        ctx.add(root, f"the file must be a mapping of sections ({', '.join(SECTIONS)}), got {describe(root)}")
        return None
    origin = model.TOOL_VOCABULARY if str(path) == vocabulary_path() else str(path)
    content = _FileContent(str(path), None, {})
    study_footnotes: list[tuple[int, Node]] = []  # (index in studies, the footnote field's node)
    for key, (key_node, value_node) in root.items.items():
        section = SECTIONS.get(key)
        if section is None:
            ctx.add(
                key_node,
                f"unknown section {key!r}{did_you_mean(key, list(SECTIONS))} (known sections: {', '.join(SECTIONS)})",
            )
            continue
        if not section.is_list:
            content.dataset = convert_record(value_node, section.spec, ctx, key)
            continue
        if isinstance(value_node, Scalar) and value_node.null:
            continue
        if not isinstance(value_node, YSequence):
            ctx.add(value_node, f"section {key!r}: expected a list of records, got {describe(value_node)}")
            continue
        out = content.records.setdefault(key, [])
        is_study = section.cls is model.Study
        for index, item in enumerate(value_node.items):
            if progress is not None and not index % 2000:
                progress(f"checking {name}", index, len(value_node.items))
            partial = content.partial_studies if is_study else None
            fields = convert_record(item, section.spec, ctx, f"{key}[{index}]", partial)
            if fields is None:
                continue
            if key in ("classes", "treatments", "diagnoses"):
                fields["origin"] = origin
            elif key == "footnotes":
                fields["file"] = str(path)
            elif is_study:
                fields["origin"] = f"{path}:{item.line}"
                tally = fields.get("tally")
                if tally is not None and not tally.covers:
                    fields["tally"] = tally._replace(covers=(fields["id"],))
                if fields.get("footnote") is not None:
                    study_footnotes.append((len(out), item.items["footnote"][1]))  # type: ignore[union-attr]
            out.append((section.cls(**fields), item))
    _attach_footnotes(content, study_footnotes, ctx)
    return content


def _attach_footnotes(content: _FileContent, where: list[tuple[int, Node]], ctx: Context) -> None:
    """Each study's footnote marker becomes the footnote of its own file (markers are per file)."""
    own = {note.marker: note for note, _node in content.records.get("footnotes", [])}  # type: ignore[attr-defined]
    studies = content.records.get("studies", [])
    for index, node in where:
        study, item = studies[index]
        marker = study.footnote  # type: ignore[attr-defined]
        if marker in own:
            studies[index] = (study._replace(footnote=own[marker]), item)  # type: ignore[attr-defined]
        else:
            label = f"study {study.id!r}"  # type: ignore[attr-defined]
            hint = did_you_mean(marker, list(own)) if own else ""
            ctx.add(
                node,
                f"{label} field 'footnote': unknown footnote marker {marker!r}{hint} (markers belong to "
                "the file that declares them under 'footnotes')",
            )
            studies[index] = (study._replace(footnote=None), item)  # type: ignore[attr-defined]


def _key(section: str, obj: object) -> str:
    if section == "footnotes":
        return f"{obj.marker} in {obj.file}"  # type: ignore[attr-defined]
    if section == "cases":
        return f"{obj.study}#{obj.number}"  # type: ignore[attr-defined]
    return obj.id  # type: ignore[attr-defined]


# --- names: aliases in data files, as on the command line --------------------------------------


class _Names:
    """Every name a data file may use for a treatment, class, diagnosis or arm -> its id."""

    def __init__(self, merged: dict):
        self.treatments = self._index(merged["treatments"].values(), lambda t: (t.id, *t.aliases))
        self.diagnoses = self._index(merged["diagnoses"].values(), lambda d: (d.id, *d.aliases))
        self.classes = self._index(merged["classes"].values(), lambda c: (c.id,))
        self.received = {**self.treatments, **{fold(c): c for c in model.CONTROLS}}

    @staticmethod
    def _index(records, names) -> dict[str, str]:
        index: dict[str, str] = {}
        for record in records:
            for name in names(record):
                index.setdefault(fold(name), record.id)
        return index


def _resolve(name: str, index: dict[str, str]) -> str | None:
    return index.get(fold(name))


def _unknown(kind: str, name: str, known: Iterable[str], where: str) -> str:
    known = sorted(set(known))
    return f"unknown {kind} {name!r}{did_you_mean(name, known)} ({where})"


def _resolve_names(merged: dict, nodes: dict, problems: list[Problem]) -> None:
    """Replace aliases in studies, arms and later evidence by the ids they name; report the rest."""
    names = _Names(merged)

    def add(section: str, key: str, field_name: str, message: str) -> None:
        path, node = nodes[(section, key)]
        if isinstance(node, Mapping) and field_name in node.items:
            node = node.items[field_name][1]
        problems.append(Problem(path, node.line, node.column, message))

    treatment_ids = [t.id for t in merged["treatments"].values()]
    for treatment in list(merged["treatments"].values()):
        if _resolve(treatment.treatment_class, names.classes) is None:
            where = "declare it under 'classes', or see 'calcinosis terms class'"
            message = f"treatment {treatment.id!r} field 'class': " + _unknown(
                "class", treatment.treatment_class, merged["classes"], where
            )
            add("treatments", treatment.id, "class", message)
        else:
            cls = _resolve(treatment.treatment_class, names.classes)
            merged["treatments"][treatment.id] = treatment._replace(treatment_class=cls)
    for study in list(merged["studies"].values()):
        label = f"study {study.id!r}"
        changes: dict[str, object] = {}
        resolved = _resolve(study.treatment, names.treatments)
        if resolved is None:
            where = "define it under 'treatments', or see 'calcinosis terms treatment'"
            add(
                "studies",
                study.id,
                "treatment",
                f"{label} field 'treatment': " + _unknown("treatment", study.treatment, treatment_ids, where),
            )
        elif resolved != study.treatment:
            changes["treatment"] = resolved
        diagnoses = []
        for term in study.diagnoses:
            found = _resolve(term, names.diagnoses)
            if found is None:
                where = "define it under 'diagnoses', or see 'calcinosis terms diagnosis'"
                add(
                    "studies",
                    study.id,
                    "diagnoses",
                    f"{label} field 'diagnoses': " + _unknown("diagnosis", term, merged["diagnoses"], where),
                )
            diagnoses.append(found or term)
        if tuple(diagnoses) != study.diagnoses:
            changes["diagnoses"] = tuple(diagnoses)
        arms = []
        for number, arm in enumerate(study.arms, 1):
            received = _resolve(arm.received, names.received)
            if received is None:
                known = [*treatment_ids, *model.CONTROLS]
                where = f"a treatment, or one of: {', '.join(model.CONTROLS)}"
                message = f"{label} arm {number} field 'received': " + _unknown("treatment", arm.received, known, where)
                add("studies", study.id, "arms", message)
            arms.append(arm._replace(received=received or arm.received))
        if tuple(arms) != study.arms:
            changes["arms"] = tuple(arms)
        if changes:
            merged["studies"][study.id] = study._replace(**changes)

    def ids(entry: model.LaterEvidence, field: str, kind: str, index: dict[str, str], known) -> list[str]:
        """The ids that ``entry``'s names in ``field`` stand for; each unknown name reported."""
        out = []
        for name in getattr(entry, field):
            found = _resolve(name, index)
            if found is None:
                where = f"see 'calcinosis terms {kind}'"
                add(
                    "later_evidence",
                    entry.id,
                    field,
                    f"later evidence {entry.id!r} field {field!r}: " + _unknown(kind, name, known, where),
                )
            out.append(found or name)
        return out

    for entry in list(merged["later_evidence"].values()):
        label = f"later evidence {entry.id!r}"
        changes = {}
        treatments = ids(entry, "treatments", "treatment", names.treatments, treatment_ids)
        classes = ids(entry, "classes", "class", names.classes, merged["classes"])
        if tuple(treatments) != entry.treatments or tuple(classes) != entry.classes:
            changes.update(treatments=tuple(treatments), classes=tuple(classes))
        if entry.scope is not None:
            found = _resolve(entry.scope, names.diagnoses)
            if found is None:
                add(
                    "later_evidence",
                    entry.id,
                    "scope",
                    f"{label} field 'scope': "
                    + _unknown("diagnosis", entry.scope, merged["diagnoses"], "a scope is a diagnosis term"),
                )
            elif found != entry.scope:
                changes["scope"] = found
        if changes:
            merged["later_evidence"][entry.id] = entry._replace(**changes)

    # A case's prior treatments are treatments or classes ("oral calcium channel blockers").
    prior_names = {**names.classes, **names.treatments}
    for key, case in list(merged["cases"].items()):
        prior = []
        for name in case.prior_treatments:
            found = _resolve(name, prior_names)
            if found is None:
                where = "a treatment or class; see 'calcinosis terms treatment' and 'calcinosis terms class'"
                message = f"case {case.number} field 'prior_treatments': " + _unknown(
                    "treatment or class", name, [*treatment_ids, *merged["classes"]], where
                )
                add("cases", key, "prior_treatments", message)
            prior.append(found or name)
        if tuple(prior) != case.prior_treatments:
            merged["cases"][key] = case._replace(prior_treatments=tuple(prior))


# --- checks between records ---------------------------------------------------------------------


def _cross_check(ds: dict, nodes: dict[tuple[str, str], tuple[str, Node]], problems: list[Problem]) -> None:
    """Check that every reference between records resolves and that counts add up."""

    def add(section: str, key: str, message: str) -> None:
        path, node = nodes[(section, key)]
        # Point at the field the message names ("field 'reference'"), else at the record.
        named = re.search(r"field '(\w+)", message)
        if named and isinstance(node, Mapping) and named.group(1) in node.items:
            node = node.items[named.group(1)][1]
        problems.append(Problem(path, node.line, node.column, message))

    references, studies = ds["references"], ds["studies"]
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


def _check_partial_studies(ds: dict, partial: list[tuple[str, dict, Node]], problems: list[Problem]) -> None:
    """Report unresolved references in studies that also had field problems."""
    names = _Names(ds)
    for path, fields, node in partial:
        label = f"study {fields['id']!r}" if fields.get("id") else "study"
        checks = (
            ("treatment", fields.get("treatment"), names.treatments, "treatment"),
            ("reference", fields.get("reference"), {fold(r): r for r in ds["references"]}, "reference"),
        )
        for attr, value, index, noun in checks:
            if value is not None and _resolve(value, index) is None:
                at = node.items[attr][1]  # the value's own position
                problems.append(Problem(path, at.line, at.column, f"{label} field {attr!r}: unknown {noun} {value!r}"))
        for term in fields.get("diagnoses", ()):
            if _resolve(term, names.diagnoses) is None:
                at = node.items["diagnoses"][1]
                message = f"{label} field 'diagnoses': unknown diagnosis {term!r}"
                problems.append(Problem(path, at.line, at.column, message))


def check_files(
    paths: Iterable[str | os.PathLike],
    contents: Sequence[bytes] | None = None,
    progress: Progress | None = None,
    trees: dict[str, Node] | None = None,
) -> tuple[dict | None, list[Problem]]:
    """Read, validate and merge ``paths`` (whose bytes may be given); return the parts and every problem.

    ``trees`` gives, for some paths, their node tree already built: an extraction sheet or a
    reference file turned into the shape of a data file, its nodes positioned at rows and
    columns, so that every problem points into the file the user gave.
    """
    paths = list(paths)
    problems: list[Problem] = []
    merged: dict[str, dict] = {key: {} for key, section in SECTIONS.items() if section.is_list}
    nodes: dict[tuple[str, str], tuple[str, Node]] = {}
    meta: dict | None = None
    files: list[str] = []
    partial_studies: list[tuple[str, dict, Node]] = []
    for index, path in enumerate(paths):
        ctx = Context(str(path))
        data = contents[index] if contents is not None else None
        content = _read_file(Path(path), data, ctx, progress, (trees or {}).get(str(path)))
        problems.extend(_problems(ctx))
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
                    shown = key.split(" in ")[0] if section == "footnotes" else key
                    problems.append(
                        Problem(
                            content.path,
                            node.line,
                            node.column,
                            f"{section}: duplicate id {shown!r} (first defined at {first_path}:{first.line})",
                        )
                    )
                    continue
                nodes[(section, key)] = (content.path, node)
                merged[section][key] = obj
    # Names and cross-checks run on the records that loaded, so one bad record does not hide the
    # rest, and on what did load of records with problems, so each record's problems are all listed.
    _resolve_names(merged, nodes, problems)
    _cross_check(merged, nodes, problems)
    _check_partial_studies(merged, partial_studies, problems)
    problems.sort(key=lambda p: (p.path, p.line or 0, p.column or 0))
    merged["meta"] = meta or {}
    merged["files"] = files
    # Where each record is defined: section -> {key: path}.
    merged["defined_in"] = {}
    for (section, key), (path, _node) in nodes.items():
        merged["defined_in"].setdefault(section, {})[key] = path
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
    return build_dataset(merged)


def build_dataset(merged: dict) -> model.Dataset:
    """The model of what check_files merged (without problems)."""
    meta = merged["meta"]
    return model.Dataset(
        title=meta.get("title", "User dataset"),
        version=meta.get("version", "unversioned"),
        source=meta.get("source", ""),
        table_title=meta.get("table_title", ""),
        classes=merged["classes"],
        treatments=merged["treatments"],
        diagnoses=merged["diagnoses"],
        footnotes=tuple(merged["footnotes"].values()),
        references=merged["references"],
        studies=tuple(merged["studies"].values()),
        cases=tuple(merged["cases"].values()),
        quirks=tuple(merged["quirks"].values()),
        later_evidence=tuple(merged["later_evidence"].values()),
        notes=tuple(meta.get("notes", ())),
        files=tuple(merged["files"]),
    ).with_index()
