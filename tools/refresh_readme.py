"""Run every ```console example of README.md again and write its real output back.

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


def main() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as cache:

        def refresh(match: re.Match) -> str:
            command = match.group(1)
            return f"```console\n$ {command}\n{run(command, cache)}```"

        new = re.sub(r"```console\n\$ (calcinosis [^\n]*)\n.*?```", refresh, text, flags=re.S)
    if new != text:
        readme.write_text(new, encoding="utf-8")
        print("README.md: examples refreshed")
    else:
        print("README.md: examples unchanged")


if __name__ == "__main__":
    main()
