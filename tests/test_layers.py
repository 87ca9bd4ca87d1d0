"""The package's shape: data flows one way, from the command line down to the data model, and the
library packages (the model, reading datasets, analysis) work without click or rich."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "calcinosis_cli"

# Each package by its layer: a module may import from its own layer's package or from a lower
# layer, never from a higher one.
LAYERS = {
    "__init__": 0,
    "errors": 0,
    "words": 0,
    "model": 1,
    "stats": 2,
    "references": 2,
    "appraisal": 2,
    "dataset": 3,
    "analysis": 4,
    "prisma": 4,
    "pooling": 4,
    "certainty": 4,
    "documents": 5,
    "render": 6,
    "exchange": 6,
    "figures": 7,
    "cli": 8,
    "__main__": 9,
}
LIBRARIES = ("model", "dataset", "analysis", "stats", "references", "appraisal", "pooling")


def imports() -> list[tuple[str, str, str]]:
    """(file, the importing package, the imported package) of every relative import, lazy ones too."""
    out = []
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        package = parts[:-1]  # the package a relative import starts from (an __init__'s own)
        own = parts[1] if len(parts) > 1 else "__init__"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                target = [*base, *(node.module.split(".") if node.module else [])]
                names = [[*target, a.name] for a in node.names] if not node.module else [target]
                for name in names:
                    other = name[1] if len(name) > 1 else "__init__"
                    if other not in LAYERS:  # a name of the package root, such as __version__
                        other = "__init__"
                    out.append((str(path.relative_to(PACKAGE.parent)), own, other))
    return out


def test_every_package_has_a_layer():
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    assert (packages | modules) - set(LAYERS) == set()


def test_no_import_runs_up_a_layer():
    upward = [(f, own, other) for f, own, other in imports() if LAYERS[other] > LAYERS[own]]
    assert upward == []


def test_packages_import_each_other_without_a_cycle():
    graph: dict[str, set[str]] = {}
    for _file, own, other in imports():
        if own != other:
            graph.setdefault(own, set()).add(other)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n})) for n in graph.get(start, ()))

    assert [p for p in graph if reaches(p, p, set())] == []


@pytest.mark.parametrize("package", LIBRARIES)
def test_the_library_packages_need_neither_click_nor_rich(package):
    modules = [
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        for p in (PACKAGE / package).rglob("*.py")
    ]
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('click', 'rich'))\n"
        "print(' '.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_no_module_is_over_600_lines():
    long = {
        str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text().splitlines())) > 600
    }
    assert long == {}
