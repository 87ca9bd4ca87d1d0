"""The corpus of real exports (tests/fixtures/refcorpus, sources in its README): what each file
states, as expected.json (written by reading the files) says it, and how import, cite and
validate take whole libraries of mixed types."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from calcinosis_cli.exchange.formats import ReferenceFileError, read_references, render_citations
from calcinosis_cli.model import Reference
from calcinosis_cli.references import csl
from tests.test_docs import run_console

CORPUS = Path(__file__).parent / "fixtures" / "refcorpus"
EXPECTED = {k: v for k, v in json.loads((CORPUS / "expected.json").read_text(encoding="utf-8")).items() if k[0] != "_"}
SOURCES = list(csv.reader((CORPUS / "SOURCES.tsv").read_text(encoding="utf-8").splitlines(), delimiter="\t"))


def test_every_file_of_the_corpus_has_a_source_and_an_expectation():
    files = {p.name for p in CORPUS.iterdir() if p.name[0] != "."} - {"README.md", "SOURCES.tsv", "expected.json"}
    assert files == set(EXPECTED)
    assert {row[0] for row in SOURCES} == files
    assert len(files) >= 40
    suffixes = {Path(f).suffix for f in files}
    assert {".ris", ".nbib", ".bib", ".json", ".isi"} <= suffixes


def _records(name: str):
    return read_references(name, (CORPUS / name).read_bytes())


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if "records" in e))
def test_records_state_what_the_file_states(name):
    records = _records(name)
    expected = EXPECTED[name]["records"]
    assert len(records) == len(expected)
    for record, want in zip(records, expected, strict=True):
        fields = dict(record.fields)
        assert fields.get("type", csl.DEFAULT_TYPE) == want["type"], record.label
        for key, value in want.items():
            if key in ("type", "usable"):
                continue
            if key == "first_authors":
                assert list(fields["authors"][: len(value)]) == value, record.label
                continue
            got = fields.get(key)
            assert (list(got) if isinstance(got, tuple) else got) == value, f"{record.label}: {key}"
        usable = not csl.missing(fields) and not record.problems
        assert usable == want.get("usable", True), record.label


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if "refused" in e))
def test_files_that_cannot_be_read_say_why_in_one_line(name):
    with pytest.raises(ReferenceFileError) as err:
        _records(name)
    message = str(err.value)
    assert "\n" not in message and name in message
    assert EXPECTED[name]["refused"] in message


def test_no_id_holds_a_suffix_and_names_are_parsed():
    from calcinosis_cli.references.keys import citation_key

    qiao = Reference("", ("Qiao S Jr",), "T", "J", 2012)
    hicks = Reference("", ("von Hicks M III",), "T", "J", 2001)
    assert citation_key(qiao) == "qiao2012"
    assert citation_key(hicks) == "vonhicks2001"
    ris = b"TY  - JOUR\nAU  - Qiao, Shan, Jr\nAU  - Catarina Barata\nAU  - Fanning E.\nTI  - T\nER  - \n"
    assert read_references("n.ris", ris)[0].fields["authors"] == ("Qiao S Jr", "Barata C", "Fanning E")
    bib = b"@article{k, author = {von Hicks, III, Michael and {Emergency Cardiovascular Care Committee}}}"
    assert read_references("n.bib", bib)[0].fields["authors"] == (
        "von Hicks M III",
        "Emergency Cardiovascular Care Committee",
    )


def test_placeholder_years_are_problems_at_their_record():
    for year in ("0", "0000", "9999"):
        (record,) = read_references("y.ris", f"TY  - JOUR\nTI  - T\nPY  - {year}\nER  - \n".encode())
        assert "year" not in record.fields
        assert record.problems and record.problems[0][0] == "PY"


def test_latex_becomes_unicode():
    bib = (
        rb"@article{k, title = {DNA$_2$ and the 4\textsuperscript{e} \mkbibquote{quoted} {\"\i}},"
        rb" subtitle = {A sub}, journaltitle = {J}, date = {2019-07}, eid = {e12}, pages = {579\psqq}}"
    )
    fields = read_references("l.bib", bib)[0].fields
    assert fields["title"] == "DNA\u2082 and the 4\u1d49 \u201cquoted\u201d \u00ef: A sub"
    assert fields["journal"] == "J"
    assert fields["issued"] == "2019-07" and fields["year"] == 2019
    assert fields["pages"] == "579 ff."  # pages before eid


def _chapter() -> Reference:
    return Reference(
        "barata2015",
        ("Barata C", "Celebi M"),
        "Toward a robust analysis -- of images",
        "",
        2015,
        pages="1-22",
        kind=None,
        type="chapter",
        editors=("Celebi ME",),
        container_title="Dermoscopy Image Analysis",
        publisher="CRC Press",
        isbn="978-1-4822-5326-9",
    )


def test_each_type_comes_back_as_itself():
    import bibtexparser
    import rispy

    chapter = _chapter()
    org = Reference("ecc2010", ("Emergency Cardiovascular Care Committee",), "Guidelines", "Circulation", 2010)
    ris = render_citations([chapter, org], "ris")
    assert [e["type_of_reference"] for e in rispy.loads(ris)] == ["CHAP", "JOUR"]
    bib = render_citations([chapter, org], "bibtex")
    entries = bibtexparser.loads(bib).entries
    assert [e["ENTRYTYPE"] for e in entries] == ["incollection", "article"]
    items = json.loads(render_citations([chapter, org], "csl-json"))
    assert [i["type"] for i in items] == ["chapter", "article-journal"]
    assert items[1]["author"] == [{"literal": "Emergency Cardiovascular Care Committee"}]
    for style, suffix in (("ris", "ris"), ("bibtex", "bib"), ("csl-json", "json")):
        back = read_references(f"b.{suffix}", render_citations([chapter, org], style).encode())
        assert back[0].fields["type"] == "chapter", style
        assert back[0].fields["title"] == chapter.title, style  # "--" survives
        assert back[0].fields["container_title"] == "Dermoscopy Image Analysis", style
        assert back[1].fields["authors"] == org.authors, style


def test_a_mixed_library_imports_every_record_as_its_own_type(tmp_path):
    out = tmp_path / "refs.yaml"
    result = run_console(
        ["--no-bundled", "import", str(CORPUS / "mixed-book-and-two-articles.ris"), "-o", str(out)], tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "3 references" in result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.count("- id: ") == 3 and "type: book" in text
    ris = run_console(["--no-bundled", "--data", str(out), "cite", "--all", "--style", "ris"], tmp_path)
    assert ris.returncode == 0
    assert [line for line in ris.stdout.splitlines() if line.startswith("TY  - ")] == [
        "TY  - BOOK",
        "TY  - JOUR",
        "TY  - JOUR",
    ]
    again = tmp_path / "again.ris"
    again.write_text(ris.stdout, encoding="utf-8")
    back = run_console(["--no-bundled", "import", str(again), "-o", str(tmp_path / "again.yaml")], tmp_path)
    assert back.returncode == 0, back.stderr
    assert (tmp_path / "again.yaml").read_text(encoding="utf-8").split("\n", 3)[3] == text.split("\n", 3)[3]
    valid = run_console(["--no-bundled", "--data", str(out), "validate"], tmp_path)
    assert valid.returncode == 0 and "3 references" in valid.stdout


def test_unusable_records_are_left_out_with_a_note_or_fatal_with_strict(tmp_path):
    source = CORPUS / "csl-test-suite-name_ParticleCaps1.json"
    mixed = tmp_path / "mixed.json"
    items = json.loads((CORPUS / "csl-test-suite-condition_RefTypeBranching.json").read_text(encoding="utf-8"))
    mixed.write_text(json.dumps(items + json.loads(source.read_text(encoding="utf-8"))), encoding="utf-8")
    out = tmp_path / "refs.yaml"
    result = run_console(["--no-bundled", "import", str(mixed), "-o", str(out)], tmp_path)
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if "left out" in line]
    assert len(notes) == 2 and all("record 6" in notes[0] or "record 7" in n for n in notes)
    assert "missing title" in notes[0]
    assert out.read_text(encoding="utf-8").count("- id: ") == 5
    strict = run_console(["--no-bundled", "import", "--strict", str(mixed), "-o", str(tmp_path / "s.yaml")], tmp_path)
    assert strict.returncode == 1
    assert not (tmp_path / "s.yaml").exists()
    assert "record 6" in strict.stderr


def test_a_placeholder_year_is_refused_in_a_data_file(tmp_path):
    data = tmp_path / "refs.yaml"
    data.write_text("references:\n- id: x2000\n  authors: [Smith J]\n  title: T\n  journal: J\n  year: 0\n")
    result = run_console(["--no-bundled", "--data", str(data), "validate"], tmp_path)
    assert result.returncode == 1
    assert "field 'year': 0 is not a year" in result.stdout + result.stderr


def test_a_book_needs_no_journal_and_an_article_does(tmp_path):
    data = tmp_path / "refs.yaml"
    data.write_text(
        "references:\n- id: a2000\n  type: book\n  editors: [Smith J]\n  title: T\n  year: 2000\n"
        "- id: b2000\n  authors: [Smith J]\n  title: T\n  year: 2000\n"
    )
    result = run_console(["--no-bundled", "--data", str(data), "validate"], tmp_path)
    assert result.returncode == 1
    assert "'b2000': missing required field 'journal'" in result.stdout + result.stderr
    assert "a2000" not in result.stdout + result.stderr


def test_medline_tags_not_read_are_skipped_and_bookshelf_records_are_books():
    eric = b"PMID- 1\nTI  - A title.\nISSN - 0000-0000\nAU  - Smith J\nJT  - J Things\nDP  - 2001\n"
    fields = read_references("e.nbib", eric)[0].fields
    assert fields["authors"] == ("Smith J",) and fields["journal"] == "J Things"
    book = b"PMID- 2\nBTI - GeneReviews\nTI  - A chapter.\nFED - Adam, Margaret P\nPB  - Univ\nDP  - 1993\n"
    fields = read_references("b.nbib", book)[0].fields
    assert fields["type"] == "chapter" and fields["container_title"] == "GeneReviews"
    assert fields["editors"] == ("Adam MP",)


def test_a_references_only_file_exports_and_opens_in_sqlite(tmp_path):
    import sqlite3

    data = Path(__file__).parent.parent / "examples" / "my-references.yaml"
    out = tmp_path / "all.yaml"
    result = run_console(["--no-bundled", "--data", str(data), "export", "--format", "yaml", "-o", str(out)], tmp_path)
    assert result.returncode == 0, result.stderr
    again = run_console(["--no-bundled", "--data", str(out), "validate"], tmp_path)
    assert again.returncode == 0 and "5 references" in again.stdout
    db = tmp_path / "refs.db"
    made = run_console(["--no-bundled", "--data", str(data), "export", "--format", "sqlite", "-o", str(db)], tmp_path)
    assert made.returncode == 0, made.stderr
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT id, type, kind, container_title, isbn FROM refs ORDER BY id").fetchall()
    assert ("barata2015", "chapter", None, "Dermoscopy Image Analysis", "978-1-4822-5326-9") in rows
    assert ("shannon1948", "article-journal", "journal article", None, None) in rows


def test_a_declared_encoding_is_honoured():
    header = b"% Encoding: windows-1252\n\n"
    bib = header + "@article{k, title = {Saïag and 25° C}, author = {Saïag, P.}, journal = {J}, year = {1988}}".encode(
        "cp1252"
    )
    fields = read_references("w.bib", bib)[0].fields
    assert fields["title"] == "Saïag and 25° C" and fields["authors"] == ("Saïag P",)
    with pytest.raises(ReferenceFileError, match="not UTF-8"):
        read_references("w.bib", bib[len(header) :])  # the same bytes undeclared
    assert read_references("x.bib", b"@article{k, title = {x$^{3+}$ ions}}")[0].fields["title"] == "x\u00b3\u207a ions"
