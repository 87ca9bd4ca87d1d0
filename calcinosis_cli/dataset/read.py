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
    streamed: dict[str, _Records] = {}
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
                into = streamed[key] = _Records(section, ctx, path, stamps, content, by_index=True)
            into.add(index, node)
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
    # Footnotes first, so that the studies' markers find their file's footnotes (markers belong
    # to the file); every problem is sorted into file order later, so the order read makes no
    # difference. A file parsed here had its sections' records built during the parse (each
    # item's tree let go as its record was built), and what is left of its tree is let go section
    # by section; a record is then placed by its index (places.Places builds the tree again only
    # for a problem found across files). A tree given by the caller stays whole.
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
        built = streamed.pop(key, None)
        if built is None:  # a tree given whole, or a section with no items
            built = _Records(section, ctx, path, stamps, content, by_index=consume)
            items = value_node.items
            for index, item in enumerate(items):
                if progress is not None and not index % 2000:
                    progress(f"checking {name}", index, len(items))
                built.add(index, item)
        value_node = None
        records, nodes = built.done(ctx)
        content.records[key] = records
        content.nodes[key] = nodes  # type: ignore[index]
    if not given and len(problems) == before:
        content.nodes = None  # clean: every record converted, so its index is its place in the list
    return content


class _Records:
    """The records of one section, built item by item (see read_file), in file order.

    While a file is parsed, each item comes as soon as it is whole and its tree is let go once
    its record is built; ``nodes`` then holds each record's index among the section's items. For
    a tree given whole (an import), it holds each record's node. A study's footnote is linked
    once every item is read, since a file may declare its footnotes after its studies.
    """

    def __init__(self, section, ctx: Context, path: Path, stamps: dict, content: FileContent, by_index: bool) -> None:
        self.section = section
        self.ctx = ctx
        self.content = content
        self.by_index = by_index
        self.out: list = []
        self.nodes: list = []
        studies = section.name == "studies"
        self.partial = content.partial_studies if studies else None
        self.footnoted: list[tuple[int, dict, Node]] | None = [] if studies else None
        self.stamp = section.stamp
        self.stamped = stamps.get(self.stamp) if self.stamp is not None else None
        self.origin_line = self.stamp == "origin_line"
        self.prefix = f"{path}:"

    def add(self, index: int, item: Node) -> None:
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
        self.nodes.append(index if self.by_index else item)

    def done(self, ctx: Context) -> tuple[list, list]:
        """The records and their nodes (or indexes), each study with its footnote (the loop in
        read_file takes footnotes first)."""
        out = self.out
        if self.footnoted:
            notes = {note.marker: note for note in self.content.records.get("footnotes", ())}
            for number, fields, marker in self.footnoted:
                _link_footnote(fields, marker, notes, ctx)
                out[number] = out[number]._replace(footnote=fields["footnote"])
        return out, self.nodes


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
