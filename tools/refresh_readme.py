"""Run every ```console example of README.md again and write its real output back, and redraw
every terminal capture: a ```text block after a ``<!-- capture WIDTH[ lines=N]: calcinosis ...
-->`` line is the table that command draws at a terminal WIDTH columns wide (without colour),
cut to its first N lines and "..." when N is given.

A development aid (not shipped, not run by CI): tests/test_docs.py checks that each example's
output is what the installed console script prints; this rewrites them after a change that
moves numbers. Run it with the venv's Python: `.venv/bin/python tools/refresh_readme.py`.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "calcinosis"


def run(command: str, cache: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "COLUMNS", "CALCINOSIS_DATA")}
    env["CALCINOSIS_CACHE_DIR"] = cache
    result = subprocess.run(
        [str(SCRIPT), *shlex.split(command)[1:]], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    return result.stdout + result.stderr


CAPTURE = re.compile(r"<!-- capture (\d+)(?: lines=(\d+))?: (calcinosis [^\n]*?) -->\n```text\n.*?```", re.S)


def capture(width: int, command: str, lines: int | None, cache: str) -> str:
    """What ``command`` draws at a terminal ``width`` columns wide, as the README shows it."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "CALCINOSIS_DATA")}
    env.update(CALCINOSIS_CACHE_DIR=cache, COLUMNS=str(width), NO_COLOR="1")
    argv = [str(SCRIPT), *shlex.split(command)[1:], "--format", "table"]
    out = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120).stdout
    if lines is not None:
        out = "\n".join(out.split("\n")[:lines]) + "\n...\n"
    return out


def refresh_captures(text: str, cache: str) -> str:
    def redraw(match: re.Match) -> str:
        width, lines, command = int(match.group(1)), match.group(2), match.group(3)
        head = match.group(0).split("\n", 1)[0]
        return f"{head}\n```text\n{capture(width, command, int(lines) if lines else None, cache)}```"

    return CAPTURE.sub(redraw, text)


def main() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as cache:

        def refresh(match: re.Match) -> str:
            command = match.group(1)
            return f"```console\n$ {command}\n{run(command, cache)}```"

        new = re.sub(r"```console\n\$ (calcinosis [^\n]*)\n.*?```", refresh, text, flags=re.S)
        new = refresh_captures(new, cache)
    if new != text:
        readme.write_text(new, encoding="utf-8")
        print("README.md: examples refreshed")
    else:
        print("README.md: examples unchanged")


if __name__ == "__main__":
    main()
