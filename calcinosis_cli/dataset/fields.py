"""The field converters of the dataset format: each checks one value of a positioned tree and
turns it into a model value, or reports where and why it cannot. The specs that use them are in
specs.py, the sections in sections.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from ..errors import Problems
from .tree import Mapping, Node, Scalar
from .tree import Sequence as YSequence


class Invalid(Exception):
    """A field value that cannot be converted; the loader records it as a problem.

    ``more`` holds further (node, message) problems of the same value (items of a list).
    """

    def __init__(self, node: Node, message: str, more: Sequence[tuple[Node, str]] = ()):
        self.node = node
        self.message = message
        self.more = tuple(more)


class Context:
    """Where the converters of one file report their problems: that file, in a collector.

    ``plain_text_checked``: the file's bytes hold none of the characters a text field may not
    hold (RAW_FORBIDDEN), so a plain scalar, which is the file's own characters (YAML turns
    every line break into a newline or a space), holds none either and is not searched again;
    a quoted one may hold an escape ("\\x07") and still is.
    """

    def __init__(self, path: str, problems: Problems | None = None, plain_text_checked: bool = False):
        self.path = path
        self.problems = Problems() if problems is None else problems
        self.plain_text_checked = plain_text_checked

    def add(self, node: Node | None, message: str) -> None:
        self.problems.at(self.path, node, message)


Converter = Callable[[Node, Context], object]


class Field(NamedTuple):
    """One key of a record: the model attribute it fills, its check, and its documentation."""

    attr: str
    convert: Converter
    required: bool
    description: str
    example: object = None


Spec = dict[str, Field]


def describe(node: Node) -> str:
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, YSequence):
        return "a list"
    return f"{node.value!r}"


# Characters a text field may not hold: C0 controls but tab and newline, DEL, C1 controls, and
# the bidirectional embeddings, overrides and isolates that can make text display other than
# it reads ("Trojan Source"). Output formats carry text byte for byte, so they are refused here.
FORBIDDEN_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# The same characters in UTF-8 bytes (but CR, which YAML reads as a line break), searched once
# over a whole file: see Context.plain_text_checked.
RAW_FORBIDDEN = re.compile(b"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")


def forbidden(value: str) -> str | None:
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


# --- converters ------------------------------------------------------------------------------


def text(node: Node, ctx: Context) -> str:
    if not isinstance(node, Scalar):
        raise Invalid(node, f"expected text, got {describe(node)}")
    value, _line, _column, plain, null = node
    if null or not value.strip():
        raise Invalid(node, "a value is required (write null where the field may be empty)")
    if not (plain and ctx.plain_text_checked):
        problem = forbidden(value)
        if problem:
            raise Invalid(node, problem)
    return value


def optional_text(node: Node, ctx: Context) -> str | None:
    if isinstance(node, Scalar) and node.null:
        return None
    return text(node, ctx)


def whole_number(node: Node, ctx: Context) -> int:
    if node.__class__ is Scalar and node.plain:
        value = node.value
        # The common case first: plain ASCII digits, no leading zero, at most 9 of them.
        if value.isdigit() and value.isascii() and (len(value) == 1 or (value[0] != "0" and len(value) <= 9)):
            return int(value)
    if not isinstance(node, Scalar) or node.null:
        raise Invalid(node, f"expected a whole number, got {'nothing' if isinstance(node, Scalar) else describe(node)}")
    value = node.value
    if not node.plain:
        raise Invalid(node, f"expected a whole number, got the quoted text {value!r} (remove the quotes)")
    if not value.isascii() or not value.isdigit():
        raise Invalid(node, f"expected a whole number, got {value!r}")
    if len(value) > 1 and value.startswith("0"):
        raise Invalid(node, f"expected a whole number without leading zeros, got {value!r}")
    if len(value) > 9:
        raise Invalid(node, f"number {value!r} is too large")
    return int(value)


def optional_whole_number(node: Node, ctx: Context) -> int | None:
    if isinstance(node, Scalar) and node.null:
        return None
    return whole_number(node, ctx)


def positive_number(node: Node, ctx: Context) -> float:
    if not isinstance(node, Scalar) or node.null or not node.plain:
        raise Invalid(node, f"expected a number, got {describe(node)}")
    head, _, tail = node.value.partition(".")
    if not (head.isascii() and head.isdigit() and (not tail or (tail.isascii() and tail.isdigit()))):
        raise Invalid(node, f"expected a number such as 2 or 2.5, got {node.value!r}")
    return float(node.value)


def boolean(node: Node, ctx: Context) -> bool:
    if isinstance(node, Scalar) and node.plain and node.value in ("true", "false"):
        return node.value == "true"
    raise Invalid(node, f"expected true or false, got {describe(node)}")


def text_list(node: Node, ctx: Context) -> tuple[str, ...]:
    """A list of text; every bad item is reported (at its own position), not just the first."""
    if isinstance(node, Scalar) and node.null:
        return ()
    if not isinstance(node, YSequence):
        raise Invalid(node, f"expected a list of text, got {describe(node)}")
    out = []
    bad: list[tuple[Node, str]] = []
    checked = ctx.plain_text_checked
    for item in node.items:
        if not isinstance(item, Scalar) or item.null:
            what = "nothing" if isinstance(item, Scalar) else describe(item)
            bad.append((item, f"expected text in the list, got {what}"))
            continue
        if not (item.plain and checked):
            problem = forbidden(item.value)
            if problem:
                bad.append((item, problem))
                continue
        out.append(item.value)
    if bad:
        raise Invalid(*bad[0], more=bad[1:])
    return tuple(out)


def one_of(choices: Sequence[str], aliases: dict[str, str] | None = None) -> Converter:
    """A value from ``choices`` (or an alias of one, which becomes the choice it names)."""
    aliases = aliases or {}

    def convert(node: Node, ctx: Context) -> str:
        value = text(node, ctx)
        if value in aliases:
            return aliases[value]
        if value not in choices:
            from ..words import did_you_mean

            raise Invalid(node, f"{value!r} is not one of: {', '.join(choices)}{did_you_mean(value, choices)}")
        return value

    convert.json_schema = {"enum": [*choices, *aliases]}  # type: ignore[attr-defined]
    return convert


def list_of(choices: Sequence[str]) -> Converter:
    def convert(node: Node, ctx: Context) -> tuple[str, ...]:
        values = text_list(node, ctx)
        bad = [
            (item, f"{item.value!r} is not one of: {', '.join(choices)}")
            for item in node.items  # type: ignore[union-attr]
            if item.value not in choices
        ]
        if bad:
            raise Invalid(*bad[0], more=bad[1:])
        return values

    convert.json_schema = {"type": "array", "items": {"enum": list(choices)}}  # type: ignore[attr-defined]
    return convert


def record(spec: Spec, cls: Callable, what: str, shape: str | None = None) -> Converter:
    """A nested record (a mapping converted by ``spec``) built into ``cls``."""
    shape = shape or f"a mapping of the {what}'s fields"

    def convert(node: Node, ctx: Context):
        if isinstance(node, Scalar) and node.null:
            return None
        if not isinstance(node, Mapping):
            raise Invalid(node, f"expected {shape}, got {describe(node)}")
        fields = convert_record(node, spec, ctx, what)
        if fields is None:
            raise Invalid(node, "")  # its problems are already recorded
        return cls(**fields)

    convert.spec = spec  # type: ignore[attr-defined]
    convert.cls = cls  # type: ignore[attr-defined]
    return convert


def records(spec: Spec, cls: Callable, what: str) -> Converter:
    """A list of nested records; every record's problems are reported."""
    one = record(spec, cls, what)

    def convert(node: Node, ctx: Context) -> tuple:
        if isinstance(node, Scalar) and node.null:
            return ()
        if not isinstance(node, YSequence):
            raise Invalid(node, f"expected a list of {what}s, got {describe(node)}")
        out, failed = [], False
        for item in node.items:
            try:
                out.append(one(item, ctx))
            except Invalid as err:
                for at, message in ((err.node, err.message), *err.more):
                    if message:
                        ctx.add(at, f"{what}: {message}")
                failed = True
        if failed:
            raise Invalid(node, "")
        return tuple(out)

    convert.spec = spec  # type: ignore[attr-defined]
    convert.cls = cls  # type: ignore[attr-defined]
    convert.is_list = True  # type: ignore[attr-defined]
    return convert


# JSON Schema fragments for `calcinosis schema`, kept beside the converters they describe.
text.json_schema = {"type": "string", "minLength": 1}  # type: ignore[attr-defined]
optional_text.json_schema = {"type": ["string", "null"]}  # type: ignore[attr-defined]
whole_number.json_schema = {"type": "integer", "minimum": 0}  # type: ignore[attr-defined]
optional_whole_number.json_schema = {"type": ["integer", "null"], "minimum": 0}  # type: ignore[attr-defined]
positive_number.json_schema = {"type": "number", "minimum": 0}  # type: ignore[attr-defined]
boolean.json_schema = {"type": "boolean"}  # type: ignore[attr-defined]
text_list.json_schema = {"type": "array", "items": {"type": "string", "minLength": 1}}  # type: ignore[attr-defined]


# spec -> (the spec, the keys it requires), worked out once per spec.
_REQUIRED: dict[int, tuple[Spec, int, frozenset[str]]] = {}


def _required(spec: Spec) -> frozenset[str]:
    found = _REQUIRED.get(id(spec))
    if found is None or found[0] is not spec or found[1] != len(spec):
        found = (spec, len(spec), frozenset(key for key, entry in spec.items() if entry.required))
        _REQUIRED[id(spec)] = found
    return found[2]


def _label(label: str, node: Mapping) -> str:
    """The record as messages name it: its label, and its id where it has one."""
    ident = node.items.get("id")
    if ident is not None and isinstance(ident[1], Scalar) and ident[1].value:
        return f"{label} {ident[1].value!r}"
    return label


def convert_record(
    node: Node, spec: Spec, ctx: Context, label: str, partial: list | None = None
) -> dict[str, object] | None:
    """Convert one mapping by ``spec``; record every problem and return None if any.

    With ``partial``, the fields that did convert in a record with problems are appended
    to it, so that cross-checks can still report, say, an unknown treatment in that record.
    """
    if not isinstance(node, Mapping):
        ctx.add(node, f"{label}: expected a mapping of fields, got {describe(node)}")
        return None
    items = node.items
    ok = True
    fields: dict[str, object] = {}
    for key, (key_node, value_node) in items.items():
        entry = spec.get(key)
        if entry is None:
            from ..words import did_you_mean

            hint = did_you_mean(key, list(spec))
            ctx.add(key_node, f"{_label(label, node)}: unknown field {key!r}{hint} (known fields: {', '.join(spec)})")
            ok = False
            continue
        try:
            fields[entry.attr] = entry.convert(value_node, ctx)
        except Invalid as err:
            for at, message in ((err.node, err.message), *err.more):
                if message:
                    ctx.add(at, f"{_label(label, node)} field {key!r}: {message}")
            ok = False
    if not items.keys() >= _required(spec):
        for key, entry in spec.items():
            if entry.required and key not in items:
                ctx.add(node, f"{_label(label, node)}: missing required field {key!r}")
                ok = False
    if not ok and partial is not None:
        partial.append((fields, node))
    return fields if ok else None
