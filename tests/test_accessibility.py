"""Every HTML page the tool writes passes axe-core (WCAG 2.0/2.1 A and AA, best practices) in a
real browser: the system's Chromium, driven by puppeteer-core, with the real axe-core from the
npm registry (tests/accessibility/package.json and its lock pin both).

Skips, with the reason, where node, npm or Chromium is missing, or where npm cannot install the
two packages (no registry). The packages are installed once per lock file into a cache folder
(CALCINOSIS_AXE_DIR, else ~/.cache/calcinosis-tests), so a second run needs no network.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "accessibility"
ROOT = Path(__file__).parent.parent
CONSOLE_SCRIPT = Path(sys.executable).parent / "calcinosis"
DATE = "2026-01-01"

# Every HTML the tool writes: the report, bundled and filtered, with each example file (so a
# section that lands with its example, such as appraisals or certainty, is checked with it).
PAGES: dict[str, list[str]] = {
    "report (bundled)": ["report"],
    "report --treatment warfarin": ["report", "--treatment", "warfarin"],
    "report --diagnosis dermatomyositis --no-later-evidence": [
        "report",
        "--diagnosis",
        "dermatomyositis",
        "--no-later-evidence",
    ],
    "report --search (no row matches)": ["report", "--search", "no row holds this text"],
    "report --prisma examples/flow.csv": ["report", "--prisma", str(ROOT / "examples" / "flow.csv")],
    "report --pooled": ["report", "--pooled"],
    "report --csl apa": ["report", "--csl", "apa"],
    "report, every section": [
        "report",
        "--pooled",
        "--prisma",
        str(ROOT / "examples" / "flow.csv"),
        "--data",
        str(ROOT / "examples" / "appraisal.yaml"),
        "--data",
        str(ROOT / "examples" / "certainty.yaml"),
    ],
    "sof --data examples/certainty.yaml": ["sof", "--data", str(ROOT / "examples" / "certainty.yaml")],
    **{
        f"report --data examples/{example.name}": ["report", "--data", str(example)]
        for example in sorted((ROOT / "examples").glob("*.yaml"))
    },
}


# HTML fragments the tool writes for pasting into a page of the user's (each is checked inside
# a bare page of its own, which adds only what every page needs: a language, a title, a main
# and a heading).
FRAGMENTS: dict[str, list[str]] = {
    "cite --all --format html": ["cite", "--all", "--format", "html"],
    "cite --all --style american-medical-association --format html": [
        "cite",
        "--all",
        "--style",
        "american-medical-association",
        "--format",
        "html",
    ],
    "group --by class --format html": ["group", "--by", "class", "--format", "html"],
    "list --format html": ["list", "--format", "html"],
}

BARE_PAGE = (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
    "<body><main><h1>{title}</h1>\n{fragment}\n</main></body></html>\n"
)


def _chromium() -> str | None:
    named = os.environ.get("CALCINOSIS_CHROMIUM")
    if named:
        return named
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _install_dir() -> Path:
    """node_modules for this lock file, installed once (atomically: parallel runs may race)."""
    lock = (HERE / "package-lock.json").read_bytes()
    key = hashlib.sha256(lock + (HERE / "package.json").read_bytes()).hexdigest()[:16]
    base = Path(os.environ.get("CALCINOSIS_AXE_DIR") or Path.home() / ".cache" / "calcinosis-tests")
    target = base / f"axe-{key}"
    if (target / "node_modules" / "axe-core").is_dir():
        return target
    base.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="axe-", dir=base))
    for name in ("package.json", "package-lock.json", "axe_check.mjs"):
        shutil.copy(HERE / name, work / name)
    env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1", "npm_config_update_notifier": "false"}
    done = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        shutil.rmtree(work, ignore_errors=True)
        last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        pytest.skip(f"npm could not install axe-core and puppeteer-core: {last}")
    try:
        work.rename(target)
    except OSError:  # another run installed it first
        shutil.rmtree(work, ignore_errors=True)
    return target


@pytest.fixture(scope="module")
def axe():
    """A function that runs axe-core over HTML files and returns its JSON result."""
    chromium = _chromium()
    missing = [name for name, found in (("node", shutil.which("node")), ("npm", shutil.which("npm"))) if not found]
    if chromium is None:
        missing.append("chromium")
    if missing:
        pytest.skip(f"accessibility check needs {', '.join(missing)} (not installed)")
    folder = _install_dir()
    shutil.copy(HERE / "axe_check.mjs", folder / "axe_check.mjs")

    def run(files: list[Path]) -> dict:
        done = subprocess.run(
            ["node", str(folder / "axe_check.mjs"), chromium, *map(str, files)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return run


def _violations_text(page: dict) -> str:
    lines = []
    for violation in page["violations"]:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines += [f"    {node['target']}: {node['html']}" for node in violation["nodes"][:5]]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """Each page of PAGES, written by the installed console script."""
    assert CONSOLE_SCRIPT.exists(), f"no console script at {CONSOLE_SCRIPT}"
    folder = tmp_path_factory.mktemp("html")
    written = {}
    for number, (name, argv) in enumerate(PAGES.items()):
        path = folder / f"page{number}.html"
        done = subprocess.run(
            [str(CONSOLE_SCRIPT), *argv, "--format", "html", "--date", DATE, "--output", str(path), "--quiet"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        assert done.returncode == 0, (name, done.stderr)
        written[name] = path
    for number, (name, argv) in enumerate(FRAGMENTS.items()):
        done = subprocess.run([str(CONSOLE_SCRIPT), *argv], capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert done.returncode == 0, (name, done.stderr)
        path = folder / f"fragment{number}.html"
        path.write_text(BARE_PAGE.format(title=html.escape(name), fragment=done.stdout), encoding="utf-8")
        written[name] = path
    return written


@pytest.fixture(scope="module")
def results(axe, pages) -> dict[str, dict]:
    found = axe(list(pages.values()))
    by_file = found["pages"]
    return {name: by_file[str(path)] for name, path in pages.items()}


@pytest.mark.parametrize("name", [*PAGES, *FRAGMENTS])
def test_page_has_no_axe_violations(results, name):
    page = results[name]
    # A run that checked nothing would pass vacuously: axe reports the rules that passed.
    assert page["passes"] >= 10, page
    assert page["violations"] == [], f"{name}:\n{_violations_text(page)}"


def test_the_check_finds_what_it_looks_for(axe, tmp_path):
    """The harness catches a real violation: links told apart from text by colour alone, and an
    image with no text alternative."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title><style>a{color:#0b5394;text-decoration:none}'
        "</style></head><body><main><p>Some words and <a href='#x'>a link</a> among them, more words.</p>"
        '<p id="x"><svg role="img" width="10" height="10"></svg></p></main></body></html>',
        encoding="utf-8",
    )
    found = axe([bad])["pages"][str(bad)]
    ids = {violation["id"] for violation in found["violations"]}
    assert {"link-in-text-block", "svg-img-alt"} <= ids, ids


def test_checked_rule_sets(axe, tmp_path):
    """The rules are WCAG 2.0 A/AA, WCAG 2.1 A/AA and best practices, as README says."""
    page = tmp_path / "empty.html"
    page.write_text('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main></main></body></html>')
    found = axe([page])
    assert found["rules"] == ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "axe-core " + found["axe"] in readme


def test_symbols_and_table_notes_pass(axe, tmp_path):
    """The parts the review sections are made of (certainty circles, risk-of-bias signs, notes
    under a table) pass on a page of their own, and each symbol's words reach the page's text."""
    from calcinosis_cli import model
    from calcinosis_cli.documents import blocks as b
    from calcinosis_cli.render.document.html import render_report_html

    signs = (("⊕⊕◯◯", "low certainty"), ("+", "low risk"), ("−", "some concerns"), ("x", "high risk"), ("?", "unclear"))
    table = b.Table(
        (b.Column("Study"), b.Column("Judgement"), b.Column("Patients", numeric=True)),
        tuple(
            ((b.Text(f"Study {n}"), b.TableNoteRef(0)), (b.Symbol(glyph, label),), (b.Text(str(n)),))
            for n, (glyph, label) in enumerate(signs, 1)
        ),
        notes=((b.Text("A note under the table, shared by every row."),),),
    )
    provenance = model.Provenance("0", "0", "test", "calcinosis report", DATE, ())
    report = b.Report(
        "Symbols", provenance, (b.Heading(1, (b.Text("Symbols"),), "symbols"), table), references=(), notes=()
    )
    page = tmp_path / "symbols.html"
    page.write_text(render_report_html(report), encoding="utf-8")
    text = page.read_text(encoding="utf-8")
    assert all(label in text for _glyph, label in signs)
    found = axe([page])["pages"][str(page)]
    assert found["violations"] == [], _violations_text(found)
