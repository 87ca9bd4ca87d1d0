"""Read one data file: its tree, then each section's records by the section table, every
problem collected at its file, line and column. Checks across files are in check.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import model
from ..errors import Problems
from ..words import did_you_mean
from .fields import RAW_FORBIDDEN, Context, convert_record, describe
from .files import vocabulary_path
from .sections import META, SECTIONS
from .tree import Mapping, Node, Scalar
from .tree import Sequence as YSequence

# progress(stage, done, total): called now and then while a large file is read and checked.
Progress = Callable[[str, int, int], None]


@dataclass
class FileContent:
    """What one file holds: its dataset metadata, and per section its records with their nodes.

    A file with no problems of its own is ``clean``: its tree is not kept (nor cached), and
    ``nodes`` is None; a record is then placed by its index in its section (every record of a
    clean file converted), and its node found again only if a problem needs it (places.py).
    """

    path: str
    meta: dict | None
    records: dict[str, list]  # section -> its records, in file order
    nodes: dict[str, list[Node]] | None = None  # section -> each record's node (None: clean)
    partial_studies: list[tuple[dict, Node]] = field(default_factory=list)  # fields of studies with problems

    @property
    def clean(self) -> bool:
        return self.nodes is None


def read_file(
    path: Path,
    data: bytes | None,
    problems: Problems,
    progress: Progress | None = None,
    root: Node | None = None,
) -> FileContent | None:
    """The records of one file; ``root``, when given, is its tree already built (an import)."""
    from .yamlsafe import YamlInputError, parse_yaml

    name = path.name
    given = root is not None
    before = len(problems)
    stamps = {
        "origin": model.TOOL_VOCABULARY if str(path) == vocabulary_path() else str(path),
        "file": str(path),
    }
    content = FileContent(str(path), None, {}, {})
    streamed: dict[str, _Streamed] = {}
    if root is None:
        if data is None:
            from .files import MAX_FILE_BYTES, DataFileError, read_file_bytes

            try:
                data = read_file_bytes(path, MAX_FILE_BYTES)
            except DataFileError as err:
                problems.add(str(path), None, None, err.message)
                return None
        # The records of each section are built as the parser finishes each item, and its tree
        # let go (most of a large read's memory would be the tree). Their problems wait in their
        # own collector: a file that is not YAML reports only that.
        ctx = Context(str(path), Problems(), RAW_FORBIDDEN.search(data) is None)

        def on_item(key: str, index: int, node: Node) -> bool:
            section = SECTIONS.get(key)
            if section is None or not section.is_list:
                return False  # reported, or read, once the whole file is parsed
            into = streamed.get(key)
            if into is None:
                into = streamed[key] = _Streamed(section, ctx, path, stamps, content)
            into.take(index, node)
            return True

        try:
            if progress is None:
                root = parse_yaml(data, str(path), on_item=on_item)
            else:
                root = parse_yaml(
                    data, str(path), lambda done, total: progress(f"reading {name}", done, total), on_item
                )
        except YamlInputError as err:
            problems.add(str(path), err.line, err.column, err.message)
            return None
        ctx.problems, found = problems, ctx.problems
        problems.extend(found)
    else:
        ctx = Context(str(path), problems)
    if not isinstance(root, Mapping):
        ctx.add(root, f"the file must be a mapping of sections ({', '.join(SECTIONS)}), got {describe(root)}")
        return None
    # Footnotes first, so that each study is built with its footnote (markers belong to the
    # file); every problem is sorted into file order later, so the order read makes no difference.
    # A tree read here is let go of record by record as the records are built (the sections are
    # taken out of the root, their items out of a list): most of a large read's memory is the
    # tree. A record is then placed by its index (places.Places builds the tree again only for
    # a problem found across files); a tree given by the caller stays whole.
    sections = root.items
    consume = not given
    root = None
    for key in sorted(sections, key=lambda name: name != "footnotes"):
        key_node, value_node = sections.pop(key) if consume else sections[key]
        section = SECTIONS.get(key)
        if section is None:
            known = ", ".join(SECTIONS)
            ctx.add(key_node, f"unknown section {key!r}{did_you_mean(key, list(SECTIONS))} (known sections: {known})")
            continue
        if section is META:
            content.meta = convert_record(value_node, section.spec, ctx, key)
            continue
        if not section.is_list:  # the flow: checked here, drawn by `calcinosis prisma`
            if not (isinstance(value_node, Scalar) and value_node.null):
                convert_record(value_node, section.spec, ctx, key)
            continue
        if isinstance(value_node, Scalar) and value_node.null:
            continue
        if not isinstance(value_node, YSequence):
            ctx.add(value_node, f"section {key!r}: expected a list of records, got {describe(value_node)}")
            continue
        if key in streamed:
            records, nodes = streamed.pop(key).done(ctx)
        else:
            items = list(value_node.items) if consume else value_node.items
            records, nodes = _section_records(section, items, consume, ctx, path, stamps, content, progress)
        value_node = None
        content.records[key] = records
        content.nodes[key] = nodes  # type: ignore[index]
    if not given and len(problems) == before:
        content.nodes = None  # clean: every record converted, so its index is its place in the list
    return content


# Items whose records are built together: the parser and the converters take turns in larger
# steps (each a third faster than in turns of one item), and the trees held stay small.
BATCH = 512


class _Streamed:
    """The records of one section, built item by item while the file is parsed (see read_file).

    A study's footnote is linked once the whole file is read: the file may declare its
    footnotes after its studies.
    """

    def __init__(self, section, ctx: Context, path: Path, stamps: dict, content: FileContent) -> None:
        self.section = section
        self.content = content
        self.ctx = ctx
        self.out: list = []
        self.nodes: list[int] = []
        self.partial = content.partial_studies if section.name == "studies" else None
        self.footnoted: list[tuple[int, dict, Node]] | None = [] if section.name == "studies" else None
        stamp = section.stamp
        self.stamp = stamp
        self.stamped = stamps.get(stamp) if stamp is not None else None
        self.origin_line = stamp == "origin_line"
        self.prefix = f"{path}:"
        self.pending: list[tuple[int, Node]] = []

    def take(self, index: int, item: Node) -> None:
        """Keep the item, and build the records of the items kept once there are BATCH of them."""
        pending = self.pending
        pending.append((index, item))
        if len(pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        for index, item in pending:
            self.build(index, item)

    def build(self, index: int, item: Node) -> None:
        section = self.section
        fields = convert_record(item, section.spec, self.ctx, f"{section.name}[{index}]", self.partial)
        if fields is None:
            return
        if self.footnoted is not None and fields.get("footnote") is not None:
            # The marker's own node, for a message if the file declares no such footnote.
            marker = item.items["footnote"][1]  # type: ignore[union-attr]
            self.footnoted.append((len(self.out), {"id": fields["id"], "footnote": fields["footnote"]}, marker))
        if self.origin_line:
            fields["origin"] = self.prefix + str(item.line)
        elif self.stamp is not None:
            fields[self.stamp] = self.stamped
        if section.prepare is not None:
            section.prepare(fields)
        self.out.append(section.cls(**fields))
        self.nodes.append(index)

    def done(self, ctx: Context) -> tuple[list, list[int]]:
        """The records and their indexes, each study with its footnote (footnotes are read first)."""
        self.flush()
        out = self.out
        if self.footnoted:
            notes = {note.marker: note for note in self.content.records.get("footnotes", ())}
            for number, fields, marker in self.footnoted:
                _link_footnote(fields, marker, notes, ctx)
                out[number] = out[number]._replace(footnote=fields["footnote"])
        return out, self.nodes


def _section_records(
    section, items, consume: bool, ctx: Context, path: Path, stamps: dict, content: FileContent, progress
) -> tuple[list, list]:
    """The records of one section that converted, in file order, and their nodes (with
    ``consume``, their indexes among ``items``, a list each item is taken out of once read)."""
    out: list = []
    nodes: list = []
    key = section.name
    spec = section.spec
    cls = section.cls
    partial = content.partial_studies if key == "studies" else None
    stamp = section.stamp
    stamped = stamps.get(stamp) if stamp is not None else None
    origin_line = stamp == "origin_line"
    prefix = f"{path}:"
    prepare = section.prepare
    name = path.name
    notes = None
    if key == "studies":
        notes = {note.marker: note for note in content.records.get("footnotes", ())}  # type: ignore[attr-defined]
    for index in range(len(items)):
        item = items[index]
        if consume:
            items[index] = None
        if progress is not None and not index % 2000:
            progress(f"checking {name}", index, len(items))
        fields = convert_record(item, spec, ctx, f"{key}[{index}]", partial)
        if fields is None:
            continue
        if notes is not None and fields.get("footnote") is not None:
            _link_footnote(fields, item.items["footnote"][1], notes, ctx)  # type: ignore[union-attr]
        if origin_line:
            fields["origin"] = prefix + str(item.line)
        elif stamp is not None:
            fields[stamp] = stamped
        if prepare is not None:
            prepare(fields)
        out.append(cls(**fields))
        nodes.append(index if consume else item)
    return out, nodes


def _link_footnote(fields: dict, marker_node: Node, notes: dict, ctx: Context) -> None:
    """A study's footnote marker becomes the footnote of its own file (markers are per file)."""
    marker = fields["footnote"]
    note = notes.get(marker)
    if note is None:
        hint = did_you_mean(marker, list(notes)) if notes else ""
        ctx.add(
            marker_node,
            f"study {fields['id']!r} field 'footnote': unknown footnote marker {marker!r}{hint} (markers belong to "
            "the file that declares them under 'footnotes')",
        )
    fields["footnote"] = note
