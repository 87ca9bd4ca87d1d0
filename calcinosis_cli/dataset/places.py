"""Where each record of a dataset was defined, so that a check across records can point at the
field at fault in the file the user opened."""

from __future__ import annotations

import re

from ..errors import Problems
from .tree import Mapping, Node


class Places:
    """(section, key) -> (file, the record's node), as the loader met them."""

    def __init__(self) -> None:
        self.nodes: dict[tuple[str, str], tuple[str, Node]] = {}

    def __contains__(self, where: tuple[str, str]) -> bool:
        return where in self.nodes

    def first(self, section: str, key: str) -> tuple[str, Node]:
        return self.nodes[(section, key)]

    def add(self, section: str, key: str, path: str, node: Node) -> None:
        self.nodes[(section, key)] = (path, node)

    def report(self, problems: Problems, section: str, key: str, message: str, field: str | None = None) -> None:
        """A problem of a record, at the field it names (``field``, or the ``field 'x'`` of the
        message), else at the record."""
        path, node = self.nodes[(section, key)]
        if field is None:
            named = re.search(r"field '(\w+)", message)
            field = named.group(1) if named else None
        if field is not None and isinstance(node, Mapping) and field in node.items:
            node = node.items[field][1]
        problems.at(path, node, message)

    def defined_in(self) -> dict[str, dict[str, str]]:
        """section -> {key: the file that defines it}."""
        out: dict[str, dict[str, str]] = {}
        for (section, key), (path, _node) in self.nodes.items():
            out.setdefault(section, {})[key] = path
        return out
