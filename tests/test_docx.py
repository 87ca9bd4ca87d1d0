"""The report in Word (render/document/docx.py), read back with python-docx and with pandoc:
headings, one Word table per table of the Markdown report holding the same cells, notes,
hyperlinks, images that fit the page, document properties, and bytes that repeat."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.clihelp import ok, run

docx = pytest.importorskip("docx")
pytest.importorskip("matplotlib")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "examples" / "certainty.yaml")
DATE = "2026-01-20"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    """The report as Word and as Markdown, from the same command but for the format."""
    folder = tmp_path_factory.mktemp("docx")
    out = {"docx": folder / "report.docx", "md": folder / "report.md"}
    ok("--data", EXAMPLE, "report", "--format", "docx", "--output", str(out["docx"]), "--date", DATE)
    ok("--data", EXAMPLE, "report", "--format", "markdown", "--output", str(out["md"]), "--date", DATE)
    return out


@pytest.fixture(scope="module")
def document(written):
    return docx.Document(str(written["docx"]))


def _markdown_tokens(path: Path):
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    return MarkdownIt("commonmark").enable("table").use(footnote_plugin).parse(path.read_text(encoding="utf-8"))


def _inline_text(token) -> str:
    """An inline token's text as a reader sees it, without note marks (Word sets those as superscript)."""
    out, skip = [], False
    for child in token.children or ():
        if child.type == "html_inline":
            skip = child.content == "<sup>"
            continue
        if skip or child.type == "footnote_ref":
            continue
        if child.type in ("text", "code_inline"):
            out.append(child.content)
    return "".join(out)


def markdown_tables(path: Path) -> list[list[list[str]]]:
    tables, rows, cells, inside = [], [], [], False
    for token in _markdown_tokens(path):
        if token.type == "table_open":
            rows = []
        elif token.type == "tr_open":
            cells = []
        elif token.type in ("th_open", "td_open"):
            inside = True
        elif token.type == "inline" and inside:
            cells.append(_inline_text(token))
            inside = False
        elif token.type == "tr_close":
            rows.append(cells)
        elif token.type == "table_close":
            tables.append(rows)
    return tables


def _cell_text(cell) -> str:
    """A Word cell's text without its superscript marks (footnote markers, note letters)."""
    out = []
    for paragraph in cell.paragraphs:
        for element in paragraph._p.iter(f"{W}r"):
            props = element.find(f"{W}rPr")
            superscript = props is not None and props.find(f"{W}vertAlign") is not None
            if not superscript:
                out.append("".join(t.text or "" for t in element.iter(f"{W}t")))
    return "".join(out)


def test_one_word_table_per_markdown_table_holding_the_same_cells(written, document):
    expected = markdown_tables(written["md"])
    assert len(expected) >= 3  # the treatments' tables, the cases, the Summary of Findings
    got = [[[_cell_text(cell) for cell in row.cells] for row in table.rows] for table in document.tables]
    assert got == expected


def test_headings_are_word_headings_in_the_markdown_order(written, document):
    markdown = []
    tokens = list(_markdown_tokens(written["md"]))
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            markdown.append((int(token.tag[1]), _inline_text(tokens[index + 1])))
    word = [
        (int(p.style.name.removeprefix("Heading ")), p.text)
        for p in document.paragraphs
        if p.style.name.startswith("Heading ")
    ]
    # Markdown gives the source's footnotes as [^label] definitions; Word, like HTML, under a heading.
    assert word == [*markdown, (2, "Footnotes of Table 1")]
    assert "* As indicated by increase in subcutaneous calcinosis per clinical and radiograph evaluation" in [
        p.text for p in document.paragraphs
    ]
    assert (2, "Summary of findings") in word and (1, "Evidence summary: treatments for calcinosis cutis") in word


def test_every_header_row_repeats_across_pages(document):
    for table in document.tables:
        first = table.rows[0]._tr
        assert first.find(f"{W}trPr/{W}tblHeader") is not None
        assert all(row._tr.find(f"{W}trPr/{W}tblHeader") is None for row in table.rows[1:])


def test_notes_stand_under_their_table(document):
    body = list(document.element.body.iterchildren())
    sof = next(t for t in document.tables if t.rows[0].cells[0].text == "Outcome")
    at = body.index(sof._tbl)
    after = [docx.text.paragraph.Paragraph(e, document).text for e in body[at + 1 : at + 3]]
    assert after[0].startswith("a Risk of bias, rated down 1 level: Uncontrolled series")
    assert after[1].startswith("b Imprecision, rated down 1 level: Few patients")


def test_the_certainty_cell_keeps_symbols_words_and_lettered_marks(document):
    sof = next(t for t in document.tables if t.rows[0].cells[0].text == "Outcome")
    paragraph = sof.rows[1].cells[3].paragraphs[0]
    assert paragraph.text == "⊕◯◯◯ very lowab"
    assert [r.text for r in paragraph.runs if r.font.superscript] == ["a", "b"]


def test_references_link_their_dois_through_hyperlink_relationships(written, document):
    links = [(link.text, link.url) for p in document.paragraphs for link in p.hyperlinks]
    assert ("10.1136/ard.2003.014431", "https://doi.org/10.1136/ard.2003.014431") in links
    markdown = written["md"].read_text(encoding="utf-8")
    for _text, url in links:
        assert f"(<{url}>)" in markdown  # the same links as the Markdown report, none added
    rels = document.part.rels.values()
    assert {r.target_ref for r in rels if r.is_external} == {url for _t, url in links}


def test_the_provenance_line_and_the_document_properties(document):
    first = [p.text for p in document.paragraphs[:3]]
    assert any(t.startswith("Generated by calcinosis ") and f"on {DATE} with calcinosis" in t for t in first)
    props = document.core_properties
    from calcinosis_cli import __version__

    assert props.title == "Evidence summary: treatments for calcinosis cutis"
    assert props.keywords == f"calcinosis {__version__}; dataset 1.2.0"
    assert f"calcinosis {__version__}" in props.comments and "dataset version 1.2.0" in props.comments
    assert props.created.date().isoformat() == DATE and props.modified == props.created


def test_figures_are_print_resolution_pngs_that_fit_the_page(written, document):
    section = document.sections[0]
    room_w = section.page_width - section.left_margin - section.right_margin
    room_h = section.page_height - section.top_margin - section.bottom_margin
    shapes = list(document.inline_shapes)
    assert len(shapes) == 2
    for shape in shapes:
        assert 0 < shape.width <= room_w and 0 < shape.height <= room_h
        alt = shape._inline.docPr.get("descr")
        assert alt.startswith(("Forest plot", "Evidence map"))
    with zipfile.ZipFile(written["docx"]) as archive:
        pngs = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert len(pngs) == 2
        for name in pngs:
            data = archive.read(name)
            assert data[:8] == b"\x89PNG\r\n\x1a\n"
            from calcinosis_cli.render.document.docx import _png_inches

            width_in, _height_in = _png_inches(data)
            pixels = int.from_bytes(data[16:20], "big")
            assert round(pixels / width_in) >= 299  # print resolution


def test_a_long_command_line_still_fits_the_document_properties(tmp_path):
    folder = tmp_path / ("a-folder-with-a-long-name-" * 8)
    folder.mkdir()
    out = folder / "f.docx"
    ok("--data", EXAMPLE, "sof", "--format", "docx", "--output", str(out), "--date", DATE)
    document = docx.Document(str(out))
    comments = document.core_properties.comments
    assert len(comments) <= 255 and comments.endswith(f"dataset version 1.2.0 on {DATE}")
    assert str(out) in document.paragraphs[0].text + document.paragraphs[1].text  # the command, whole


def test_the_same_input_gives_the_same_bytes():
    first = run("--data", EXAMPLE, "report", "--format", "docx", "--date", DATE).stdout_bytes
    second = run("--data", EXAMPLE, "report", "--format", "docx", "--date", DATE).stdout_bytes
    assert first[:2] == b"PK" and first == second


def test_an_existing_file_is_replaced_only_with_force(tmp_path):
    out = tmp_path / "f.docx"
    out.write_bytes(b"mine")
    result = run("--data", EXAMPLE, "sof", "--format", "docx", "--output", str(out))
    assert result.exit_code == 2 and "add --force" in result.stderr and out.read_bytes() == b"mine"
    result = run("report", "--format", "docx", "--output", str(out), "--date", DATE)
    assert result.exit_code == 2 and out.read_bytes() == b"mine"
    ok("--data", EXAMPLE, "sof", "--format", "docx", "--output", str(out), "--force")
    assert zipfile.is_zipfile(out)


def test_word_to_a_terminal_is_refused():
    pexpect = pytest.importorskip("pexpect")
    script = Path(sys.executable).parent / "calcinosis"
    for argv in (["sof", "--data", EXAMPLE, "-f", "docx"], ["report", "-f", "docx"]):
        child = pexpect.spawn(str(script), argv, env={**os.environ, "COLUMNS": "100"}, timeout=60)
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 2
        assert b"give --output FILE" in child.before


def test_a_missing_python_docx_is_one_line_naming_the_extra(tmp_path):
    code = (
        "import sys; sys.modules['docx'] = None\n"
        "from calcinosis_cli.cli import main\n"
        f"main(['--data', {EXAMPLE!r}, 'sof', '-f', 'docx', '-o', {str(tmp_path / 'x.docx')!r}])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        "calcinosis: error: writing a Word document needs python-docx: install calcinosis[docx] "
        "(pip install 'calcinosis[docx]')"
    ]
    assert not (tmp_path / "x.docx").exists()


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_the_headings_tables_notes_and_links(written):
    markdown = subprocess.run(
        ["pandoc", "-f", "docx", "-t", "markdown", str(written["docx"])],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert "# Evidence summary: treatments for calcinosis cutis" in markdown
    assert "## Summary of findings" in markdown and "### Improved: warfarin" in markdown
    assert "(https://doi.org/10.1136/ard.2003.014431)" in markdown
    assert "^a^ Risk of bias, rated down 1 level" in markdown and "^b^ Imprecision, rated down 1 level" in markdown
    ast = json.loads(
        subprocess.run(
            ["pandoc", "-f", "docx", "-t", "json", str(written["docx"])],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
    )
    tables = [block for block in ast["blocks"] if block["t"] == "Table"]
    assert len(tables) == len(markdown_tables(written["md"]))
