"""Hostile-input-safe YAML reader producing a position-carrying tree of text.

The tree is built from parser *events* with an explicit stack, never through
``yaml.compose``/``yaml.load``: the Cython composer recurses in C and segfaults
the interpreter on ~25,000 nesting levels, and the pure-Python one raises
RecursionError.  Nothing is resolved or constructed, so every scalar stays the
text the user wrote (``NO``, ``010`` and ``2003-02-30`` are strings here);
typing is the schema layer's job.

Everything that goes wrong becomes a :class:`YamlInputError` whose ``str()`` is
one line, ``path:line:column: message``.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from .files import MAX_FILE_BYTES, UTF8_BOM, DataFileError, Undecodable, decode_utf8, read_file_bytes, too_large
from .tree import Mapping, Node, Scalar, Sequence

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "Mapping",
    "Node",
    "Scalar",
    "Sequence",
    "YamlInputError",
    "parse_yaml",
    "parse_yaml_file",
]

MAX_BYTES = MAX_FILE_BYTES
MAX_DEPTH = 64
# The pure-Python parser reads about 0.5 MB a second; past this, libyaml's refusal stands.
_REPARSE_LIMIT = 1024 * 1024

# libyaml's parser is both faster and immune to Python recursion limits; the
# pure-Python one is only a fallback for builds without the C extension.
_LOADER: type = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader

# Plain scalars YAML 1.1/1.2 read as null; quoted forms are ordinary text.
_NULL_WORDS = frozenset(("", "~", "null", "Null", "NULL"))
# Scalar styles allowed for mapping keys: plain ('' from libyaml, None from
# the pure-Python parser) or single/double quoted; block scalars are refused.
_KEY_STYLES = frozenset(("", None, "'", '"'))
_UTF8_BOM = b"\xef\xbb\xbf"
_STANDARD_TAG_PREFIX = "tag:yaml.org,2002:"
_SHOW_LIMIT = 60
_INTERN_UP_TO = 32  # characters


class YamlInputError(Exception):
    """One problem with a YAML file.

    ``str(e) == f"{path}:{line}:{column}: {message}"`` (1-based), or
    ``f"{path}: {message}"`` when the position is unknown.
    """

    path: str
    line: int | None
    column: int | None
    message: str

    def __init__(self, path: str, line: int | None, column: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.message = _one_line(message)
        super().__init__(path, line, column, self.message)

    def __str__(self) -> str:
        # A newline in a path would break the one-line contract callers rely on.
        path = _one_line(self.path)
        if self.line is None:
            return f"{path}: {self.message}"
        return f"{path}:{self.line}:{self.column}: {self.message}"


# progress(done, total): called now and then during a long parse.
Progress = Callable[[int, int], None]
# on_item(section, index, node): one item of a list under a key of the root mapping, as soon
# as it is whole; True means it was taken (the list keeps None in its place), False keeps it.
OnItem = Callable[[str, int, "Node"], bool]


def _one_line(text: str) -> str:
    if "\n" in text or "\r" in text:
        return " ".join(text.split())
    return text


def _show(text: str) -> str:
    """Quote user text for a message: escaped, one line, bounded length."""
    if len(text) > _SHOW_LIMIT:
        return repr(text[:_SHOW_LIMIT]) + "..."
    return repr(text)


def _show_tag(tag: str) -> str:
    # Give the tag back the way it was most likely written (!!foo, not the URI).
    if tag.startswith(_STANDARD_TAG_PREFIX):
        tag = "!!" + tag[len(_STANDARD_TAG_PREFIX) :]
    return _show(tag)


def _position(prefix: bytes) -> tuple[int, int]:
    """1-based (line, column) of the character that follows valid UTF-8 *prefix*.

    Columns count characters, as the YAML parser's marks do; CR, LF and CRLF
    each end a line.
    """
    text = prefix.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    line_start = text.rfind("\n") + 1
    return text.count("\n", 0, line_start) + 1, len(text) - line_start + 1


def _decode(data: bytes, path: str) -> tuple[str, bytes]:
    """Strict UTF-8 decode; returns (text, bytes the text came from, sans BOM)."""
    decoded = decode_utf8(data)
    if isinstance(decoded, Undecodable):
        bom = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
        line, column = _position(data[bom : decoded.offset])
        hint = f" (the file looks like {decoded.looks_like}; save it as UTF-8)" if decoded.looks_like else ""
        message = f"not valid UTF-8 (byte 0x{decoded.byte:02x} at offset {decoded.offset}){hint}"
        raise YamlInputError(path, line, column, message)
    text, bom = decoded
    return text, data[bom:]


def _yaml_error(exc: yaml.YAMLError, raw: bytes, path: str) -> YamlInputError:
    """Turn a PyYAML reader/scanner/parser error into a one-line YamlInputError."""
    if isinstance(exc, yaml.reader.ReaderError):
        # libyaml reports a byte offset into the UTF-8 it was given, the Python
        # reader a character offset; raw is exactly that UTF-8, so map through it.
        pos = exc.position
        if _LOADER is not yaml.CSafeLoader:
            pos = len(raw.decode("utf-8")[:pos].encode("utf-8"))
        line, column = _position(raw[:pos])
        char = exc.character
        code = char if isinstance(char, int) else ord(char) if char else None
        found = f" (found U+{code:04X})" if code is not None else ""
        return YamlInputError(path, line, column, f"could not parse YAML: {exc.reason}{found}")
    if isinstance(exc, yaml.MarkedYAMLError):
        problem = exc.problem or "invalid YAML"
        mark = exc.problem_mark or exc.context_mark
        message = f"could not parse YAML: {problem}"
        if exc.context and exc.context_mark is not None:
            message += f" ({exc.context} at line {exc.context_mark.line + 1})"
        if mark is None:
            return YamlInputError(path, None, None, message)
        return YamlInputError(path, mark.line + 1, mark.column + 1, message)
    return YamlInputError(path, None, None, f"could not parse YAML: {exc}")


def parse_yaml(data: bytes, path: str, progress: Progress | None = None, on_item: OnItem | None = None) -> Node:
    """Parse one YAML document from *data* into a tree of text nodes.

    *path* is only used in error messages.  Raises YamlInputError for any
    problem; never lets another exception escape from the parser.  *progress*,
    if given, is called now and then with (characters read, characters in all).
    *on_item*, if given, is handed each item of a section (a list under a key of the root
    mapping) as soon as it is whole, so that a caller can turn it into a record and let its
    tree go: the whole tree of a large file never exists at once.  What it raises escapes.
    """
    if len(data) > MAX_BYTES:
        raise YamlInputError(path, None, None, too_large(len(data), MAX_BYTES))
    text, raw = _decode(data, path)
    # The tree is acyclic, but allocating ~10^6 tracked objects would trigger
    # repeated full collections that cost more than the parse itself (about
    # 2x on 20,000 records), so the cyclic GC is paused while we build.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    loader = None
    try:
        # Inside the try: the pure-Python reader already validates characters
        # in its constructor.
        loader = _LOADER(text)
        size = len(text)
        if _LOADER is yaml.CSafeLoader:
            # libyaml reads its own UTF-8 copy of the text: let this one go (a large file's
            # size again, at the peak); an error decodes it again from raw, which it came from.
            text = None
        return _build(loader, path, progress, size, on_item)
    except YamlInputError:
        raise
    except _ItemFailed as failed:
        raise failed.error from None
    except yaml.YAMLError as exc:
        if text is None:
            text = raw.decode("utf-8")
        raise _earlier_problem(text, exc, path) or _yaml_error(exc, raw, path) from exc
    except Exception as exc:  # RecursionError, MemoryError, ValueError, ...
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        raise YamlInputError(path, None, None, f"could not parse YAML: {detail}") from exc
    finally:
        if loader is not None:
            loader.dispose()
        if gc_was_enabled:
            gc.enable()


def _earlier_problem(text: str, exc: yaml.YAMLError, path: str) -> YamlInputError | None:
    """A problem of ours (nesting, anchors, tags, duplicate keys) before where libyaml failed.

    libyaml scans ahead of the events it has delivered: newer versions refuse flow nesting
    deeper than 1000 levels while scanning, before this reader sees level 65. Re-reading the
    text up to libyaml's error with the pure-Python parser (which stops at our limit) finds
    the problem the file has first, so every PyYAML/libyaml version reports the same one.
    """
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if _LOADER is yaml.SafeLoader or mark is None or not 0 < mark.index <= min(len(text), _REPARSE_LIMIT):
        return None
    prefix = text[: mark.index]
    # Only flow nesting makes libyaml fail ahead of us, and it needs unclosed brackets.
    if prefix.count("[") + prefix.count("{") - prefix.count("]") - prefix.count("}") <= MAX_DEPTH:
        return None
    loader = yaml.SafeLoader(prefix)
    try:
        _build(loader, path)
    except YamlInputError as problem:
        return problem
    except Exception:  # noqa: BLE001 - the cut-off text's own errors say nothing about the file
        return None
    finally:
        loader.dispose()
    return None


def parse_yaml_file(path: str | os.PathLike[str]) -> Node:
    """Read *path* (at most MAX_BYTES, see datafiles.read_file_bytes) and parse it."""
    name = os.fsdecode(path)
    try:
        data = read_file_bytes(path, MAX_BYTES)
    except DataFileError as err:
        raise YamlInputError(name, None, None, err.message) from None
    return parse_yaml(data, name)


class _ItemFailed(Exception):
    """What a caller's on_item raised, carried past the parser's own error handling."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


# Events between two progress reports.
_PROGRESS_EVERY = 1 << 15


def _build(
    loader: yaml.SafeLoader, path: str, progress: Progress | None = None, size: int = 0, on_item: OnItem | None = None
) -> Node:
    """Turn the loader's event stream into a Node tree, iteratively (see parse_yaml for on_item)."""
    get_event = loader.get_event
    countdown = _PROGRESS_EVERY
    # The innermost open collection lives in locals (cur = its dict or list,
    # key = the key Scalar of a mapping still waiting for its value); the
    # enclosing ones are saved on `stack`, so len(stack) is the nesting depth.
    cur: dict | list | None = None
    is_map = False
    key: Scalar | None = None
    line = column = 0
    last_line = 0
    stack: list[tuple] = []
    root: Node | None = None
    root_blank = False  # root is the implicit empty scalar of a bare `---`
    documents = 0
    max_depth = MAX_DEPTH
    new = tuple.__new__  # the nodes are NamedTuples; building them directly skips a Python frame each
    intern = sys.intern

    def fail(mark: yaml.Mark, message: str) -> YamlInputError:
        return YamlInputError(path, mark.line + 1, mark.column + 1, message)

    def refuse_properties(event: yaml.NodeEvent) -> YamlInputError:
        if event.anchor is not None:
            return fail(event.start_mark, "anchors and aliases are not allowed")
        tag = _show_tag(event.tag)
        return fail(event.start_mark, f"tags are not allowed (found {tag})")

    while True:
        event = get_event()
        countdown -= 1
        if not countdown:
            countdown = _PROGRESS_EVERY
            if progress is not None:
                progress(event.start_mark.index, size)
        # Exact class checks (cheaper than isinstance), most frequent first;
        # PyYAML and libyaml both emit the yaml.events classes themselves.
        cls = event.__class__
        if cls is ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                raise refuse_properties(event)
            mark = event.start_mark
            style = event.style
            value = event.value
            plain = not style  # '' from libyaml, None from the Python parser
            at_line = mark.line + 1
            if at_line == last_line:
                # A key and its value share a line: one int object for both, not two.
                at_line = last_line
            else:
                last_line = at_line
            if plain and value in _NULL_WORDS:
                node: Node = new(Scalar, ("", at_line, mark.column + 1, True, True))
            else:
                if len(value) <= _INTERN_UP_TO and plain:
                    # Keys and short words repeat on every record ("id", "case series"): one
                    # string each, not one per occurrence, in the tree and in the records.
                    value = intern(value)
                node = new(Scalar, (value, at_line, mark.column + 1, plain, False))
            if is_map:
                if key is not None:
                    cur[key[0]] = (key, node)
                    key = None
                    continue
                if style not in _KEY_STYLES:
                    raise fail(mark, "mapping keys must be plain or quoted scalars")
                if node[4]:  # null
                    raise fail(mark, "null keys are not allowed")
                first = cur.get(value)
                if first is not None:
                    line1 = first[0].line
                    raise fail(mark, f"duplicate key {_show(value)} (first at line {line1})")
                key = node
            elif cur is not None:
                if on_item is not None and len(stack) == 2 and stack[1][1]:
                    node = _hand_over(on_item, stack[1][2][0], len(cur), node)
                cur.append(node)
            else:
                root = node
                root_blank = plain and value == ""
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            if is_map:
                node = new(Mapping, (cur, line, column))
            else:
                node = new(Sequence, (tuple(cur), line, column))
            cur, is_map, key, line, column = stack.pop()
            if is_map:
                # A collection here is always a value: as a key it was refused
                # at its start event.
                cur[key[0]] = (key, node)
                key = None
            elif cur is not None:
                if on_item is not None and len(stack) == 2 and stack[1][1]:
                    # An item of a section (a list under a key of the root mapping) is whole.
                    node = _hand_over(on_item, stack[1][2][0], len(cur), node)
                cur.append(node)
            else:
                root = node
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                raise refuse_properties(event)
            mark = event.start_mark
            if is_map and key is None:
                raise fail(mark, "mapping keys must be plain or quoted scalars")
            if len(stack) >= max_depth:
                # Stop now, before libyaml reads any further into the file.
                raise fail(mark, f"nesting is deeper than {max_depth} levels")
            stack.append((cur, is_map, key, line, column))
            is_map = cls is MappingStartEvent
            cur = {} if is_map else []
            key = None
            line = mark.line + 1
            column = mark.column + 1
        elif cls is AliasEvent:
            raise fail(event.start_mark, "anchors and aliases are not allowed")
        elif cls is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise fail(event.start_mark, "more than one YAML document")
        elif cls is StreamEndEvent or event is None:
            break
        elif cls is not DocumentEndEvent and cls is not StreamStartEvent:
            # Fail closed if a PyYAML upgrade ever adds an event we don't know.
            name = cls.__name__
            raise fail(event.start_mark, f"unexpected YAML event {name}")
    if root is None or root_blank:
        # A whole-file problem; 1:1 keeps the path:line:column shape tools expect.
        raise YamlInputError(path, 1, 1, "file is empty")
    return root


def _hand_over(on_item: OnItem, section: str, index: int, node: Node) -> Node | None:
    """on_item's answer for one item: None (taken) or the node, kept in its list."""
    try:
        taken = on_item(section, index, node)
    except Exception as exc:  # noqa: BLE001 - the caller's own error, not the parser's
        raise _ItemFailed(exc) from exc
    return None if taken else node
