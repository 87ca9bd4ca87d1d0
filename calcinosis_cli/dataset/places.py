"""Where each record of a dataset was defined, so that a check across records can point at the
field at fault in the file the user opened."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..errors import Problems
from .tree import Mapping, Node

# A record of a file that had no problems of its own is placed by its index in its section,
# not by its node: the file's tree is not kept (nor cached) for the checks that will almost
# never need it. ``reread(path)`` builds that tree again when a problem does.
Where = Node | int


class Places:
    """(section, key) -> (file, the record's node or its index in its section), as the loader
    met them."""

    def __init__(self, reread: Callable[[str], Node] | None = None) -> None:
        self.nodes: dict[tuple[str, str], tuple[str, Where]] = {}
        self._reread = reread
        self._trees: dict[str, Node] = {}

    def __contains__(self, where: tuple[str, str]) -> bool:
        return where in self.nodes

    def node(self, path: str, section: str, where: Where) -> Node:
        """The record's node: ``where`` itself, or found in its file's tree built again."""
        if not isinstance(where, int):
            return where
        if path not in self._trees:
            assert self._reread is not None, "a record placed by index needs a way to read its file again"
            self._trees[path] = self._reread(path)
        return self._trees[path].items[section][1].items[where]  # type: ignore[union-attr]

    def first(self, section: str, key: str) -> tuple[str, Node]:
        path, where = self.nodes[(section, key)]
        return path, self.node(path, section, where)

    def add(self, section: str, key: str, path: str, node: Where) -> None:
        self.nodes[(section, key)] = (path, node)

    def report(self, problems: Problems, section: str, key: str, message: str, field: str | None = None) -> None:
        """A problem of a record, at the field it names (``field``, or the ``field 'x'`` of the
        message), else at the record."""
        path, node = self.first(section, key)
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
