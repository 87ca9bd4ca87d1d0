"""The positioned tree a data file is read into: text scalars, mappings and sequences, each with
its 1-based line and column. The YAML reader builds it (yamlsafe.py); the sheet and reference
readers build the same shape, positioned at their rows and records, so that the loader's checks
report problems where the user can find them.
"""

from __future__ import annotations

from typing import NamedTuple

# NamedTuples rather than frozen dataclasses: a large file is millions of nodes, and a tuple is
# built in C (tuple.__new__, see yamlsafe._build) where a frozen dataclass's __init__ sets each
# field through object.__setattr__, several times slower. Nodes are compared by what they hold.


class Scalar(NamedTuple):
    """A scalar exactly as written (after unquoting/unescaping), 1-based position."""

    value: str
    line: int
    column: int
    plain: bool
    null: bool


class Mapping(NamedTuple):
    """A mapping: key text -> (key scalar, value node), in file order."""

    items: dict[str, tuple[Scalar, Node]]
    line: int
    column: int


class Sequence(NamedTuple):
    """A sequence of nodes, 1-based position of its start."""

    items: tuple[Node, ...]
    line: int
    column: int


Node = Scalar | Mapping | Sequence
