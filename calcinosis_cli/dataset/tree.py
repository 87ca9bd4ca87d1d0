"""The positioned tree a data file is read into: text scalars, mappings and sequences, each with
its 1-based line and column. The YAML reader builds it (yamlsafe.py); the sheet and reference
readers build the same shape, positioned at their rows and records, so that the loader's checks
report problems where the user can find them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Scalar:
    """A scalar exactly as written (after unquoting/unescaping), 1-based position."""

    value: str
    line: int
    column: int
    plain: bool
    null: bool


@dataclass(frozen=True, slots=True)
class Mapping:
    """A mapping: key text -> (key scalar, value node), in file order."""

    items: dict[str, tuple[Scalar, Node]]
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Sequence:
    """A sequence of nodes, 1-based position of its start."""

    items: tuple[Node, ...]
    line: int
    column: int


Node = Scalar | Mapping | Sequence
