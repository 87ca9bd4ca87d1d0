"""Citation exports: every style on every bundled reference, checked with real parsers.

bibtexparser (1.x), rispy and jsonschema are test-only dependencies; a test that needs one
is skipped when it is missing, so the rest of the file still runs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from calcinosis_cli.dataset.load import load_dataset
from calcinosis_cli.exchange.formats import CITATION_STYLES, render_citations
from calcinosis_cli.exchange.formats.bibtex import bibtex_escape
from calcinosis_cli.exchange.formats.records import page_range
from calcinosis_cli.model import Reference
from calcinosis_cli.references.bibliography import vancouver
from calcinosis_cli.references.keys import citation_key
from calcinosis_cli.references.names import split_name

SCHEMA = Path(__file__).parent / "fixtures" / "citations" / "csl-data.json"


@pytest.fixture(scope="module")
def refs() -> list[Reference]:
    return list(load_dataset().references.values())


def make(**fields: object) -> Reference:
    base: dict[str, object] = {
        "id": "smith2001",
        "authors": ("Smith J",),
        "title": "A title",
        "journal": "J Test",
        "year": 2001,
        "volume": "1",
        "pages": "10-2",
    }
    base.update(fields)
    return Reference(**base)  # type: ignore[arg-type]


def parse_bibtex(text: str) -> list[dict[str, str]]:
    import bibtexparser
    from bibtexparser.bparser import BibTexParser

    parser = BibTexParser(common_strings=False)
    parser.ignore_nonstandard_types = False
    parser.homogenize_fields = False
    return bibtexparser.loads(text, parser).entries


def parse_ris(text: str) -> list[dict[str, object]]:
    import rispy

    return rispy.loads(text)


def unescape_bibtex(value: str) -> str:
    """The inverse of our escaping, for exact round-trip checks."""
    words = {
        r"\textasciitilde{}": "~",
        r"\textasciicircum{}": "^",
        r"\textbackslash{}": "\\",
        r"\textbraceleft{}": "{",
        r"\textbraceright{}": "}",
    }
    pattern = re.compile("|".join(re.escape(w) for w in words) + r"|\\([&%$#_{}])")
    return pattern.sub(lambda m: m.group(1) if m.group(1) else words[m.group(0)], value)


def braces_balance(text: str) -> bool:
    depth = 0
    for c in text:
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth < 0:
            return False
    return depth == 0


def full_pages(ref: Reference) -> tuple[str, str | None]:
    expected = {
        "1341–1343": ("1341", "1343"),
        "115-18": ("115", "118"),
        "72-6": ("72", "76"),
        "795-6": ("795", "796"),
        "1094-100": ("1094", "1100"),
        "318-24": ("318", "324"),
        "317-27": ("317", "327"),
        "317-325": ("317", "325"),
    }
    assert ref.pages is not None
    if ref.pages in expected:
        assert page_range(ref.pages) == expected[ref.pages]
    return page_range(ref.pages)


def expected_issue(ref: Reference) -> str | None:
    parts = [p for p in (ref.issue, ref.supplement and ref.supplement[0].upper() + ref.supplement[1:]) if p]
    return " ".join(parts) or None


# --- every style ----------------------------------------------------------------------------


@pytest.mark.parametrize("style", CITATION_STYLES)
def test_every_style_renders_every_reference(refs: list[Reference], style: str) -> None:
    text = render_citations(refs, style)
    assert text.endswith("\n")
    assert render_citations(refs, style) == text  # deterministic
    if style != "vancouver":
        for ref in refs:
            assert ref.id in text


def test_unknown_style_names_the_valid_ones(refs: list[Reference]) -> None:
    with pytest.raises(ValueError) as err:
        render_citations(refs, "apa")
    for style in CITATION_STYLES:
        assert style in str(err.value)
    assert "apa" in str(err.value)


def test_empty_input() -> None:
    assert render_citations([], "vancouver") == ""
    assert render_citations([], "bibtex") == ""
    assert render_citations([], "ris") == ""
    assert json.loads(render_citations([], "csl-json")) == []


def test_vancouver_is_a_numbered_list_from_query_vancouver(refs: list[Reference]) -> None:
    lines = render_citations(refs, "vancouver").splitlines()
    assert lines == [f"{i}. {vancouver(ref)}" for i, ref in enumerate(refs, 1)]


def test_vancouver_keeps_input_order(refs: list[Reference]) -> None:
    reordered = list(reversed(refs))
    lines = render_citations(reordered, "vancouver").splitlines()
    assert lines[0] == f"1. {vancouver(refs[-1])}"


def test_no_invented_identifiers(refs: list[Reference]) -> None:
    with_doi = [r for r in refs if r.doi]
    with_pmid = [r for r in refs if r.pmid]
    bib = render_citations(refs, "bibtex")
    assert bib.count("  doi = {") == len(with_doi)
    assert bib.count("  pmid = {") == len(with_pmid)
    ris = render_citations(refs, "ris")
    assert ris.count("\nDO  - ") == len(with_doi)
    assert ris.count("\nAN  - ") == len(with_pmid)
    items = json.loads(render_citations(refs, "csl-json"))
    assert sum("DOI" in i for i in items) == len(with_doi)
    assert sum("PMID" in i for i in items) == len(with_pmid)
    bare = make(doi=None, pmid=None)
    for style in CITATION_STYLES:
        text = render_citations([bare], style).lower()
        assert "doi" not in text and "pmid" not in text


# --- keys -----------------------------------------------------------------------------------


def test_keys_of_bundled_references_are_their_ids(refs: list[Reference]) -> None:
    for ref in refs:
        assert citation_key(ref) == ref.id
        assert re.fullmatch(r"[a-z][a-z0-9]*", citation_key(ref))
    assert citation_key(next(r for r in refs if r.id == "berger1987")) == "berger1987"


@pytest.mark.parametrize(
    ("ref_id", "authors", "key"),
    [
        ("Ångström-2001", ("Ångström AB",), "angstrom2001"),
        ("x y", ("Saïag P",), "saiag2001"),
        ("Berger_1987", ("van der Berg J", "Other K"), "vanderberg2001"),
        ("9", ("Abdoucheli-Baudat",), "abdouchelibaudat2001"),
        ("", ("O'Brien-Łukasz T",), "obrienlukasz2001"),
        ("", ("Øster-Straße Æ",), "osterstrasse2001"),
        ("", (), "ref2001"),
        ("", ("Мечников ИИ",), "ref2001"),
    ],
)
def test_keys_built_from_surname_and_year(ref_id: str, authors: tuple[str, ...], key: str) -> None:
    built = citation_key(make(id=ref_id, authors=authors))
    assert built == key
    assert built.isascii() and re.fullmatch(r"[a-z][a-z0-9]*", built)


def test_shared_keys_get_suffixes_in_input_order() -> None:
    one = make(id="smith2001", title="First")
    two = make(id="Smith 2001", title="Second")
    three = make(id="smith2001b", title="Third")  # already holds the key the second would get
    items = json.loads(render_citations([one, two, three], "csl-json"))
    assert [i["id"] for i in items] == ["smith2001a", "smith2001c", "smith2001b"]
    assert [i["title"] for i in items] == ["First", "Second", "Third"]
    swapped = json.loads(render_citations([two, one], "csl-json"))
    assert [(i["id"], i["title"]) for i in swapped] == [("smith2001a", "Second"), ("smith2001b", "First")]
    entries = parse_bibtex(render_citations([one, two], "bibtex"))
    assert [e["ID"] for e in entries] == ["smith2001a", "smith2001b"]
    records = parse_ris(render_citations([one, two], "ris"))
    assert [r["id"] for r in records] == ["smith2001a", "smith2001b"]


def test_a_reference_given_twice_is_written_once(refs: list[Reference]) -> None:
    doubled = refs + refs[:3]
    for style in CITATION_STYLES:
        assert render_citations(doubled, style) == render_citations(refs, style)


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "first", "last"),
    [
        ("72-6", "72", "76"),
        ("115-18", "115", "118"),
        ("1094-100", "1094", "1100"),
        ("1341–1343", "1341", "1343"),
        ("317-325", "317", "325"),
        ("1166-8", "1166", "1168"),
        ("99-3", "99", "103"),
        ("198-02", "198", "202"),
        ("S12-4", "S12", "S14"),
        ("e123", "e123", None),
        ("12", "12", None),
        ("xii-xv", "xii", "xv"),
    ],
)
def test_page_range_expansion(printed: str, first: str, last: str | None) -> None:
    assert page_range(printed) == (first, last)


def test_pages_in_each_style() -> None:
    ref = make(pages="1094-100")
    assert "  pages = {1094--1100}" in render_citations([ref], "bibtex")
    ris = render_citations([ref], "ris")
    assert "SP  - 1094-100\n" in ris and "EP  -" not in ris  # RIS: as printed, the range in SP
    assert json.loads(render_citations([ref], "csl-json"))[0]["page"] == "1094-1100"


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "surname", "initials"),
    [
        ("Berger RG", "Berger", "RG"),
        ("Oliveira SKF", "Oliveira", "SKF"),
        ("Chajek-Shaul T", "Chajek-Shaul", "T"),
        ("Abdoucheli-Baudat", "Abdoucheli-Baudat", ""),
        ("van der Berg J", "van der Berg", "J"),
        ("Saïag P", "Saïag", "P"),
    ],
)
def test_split_name(printed: str, surname: str, initials: str) -> None:
    assert split_name(printed) == (surname, initials)


def test_name_without_initials_in_every_style(refs: list[Reference]) -> None:
    ref = next(r for r in refs if r.id == "vaysairat1998")
    assert "Abdoucheli-Baudat" in ref.authors
    [entry] = parse_bibtex(render_citations([ref], "bibtex"))
    assert entry["author"].split(" and ")[2] == "Abdoucheli-Baudat"
    [record] = parse_ris(render_citations([ref], "ris"))
    assert record["authors"][2] == "Abdoucheli-Baudat"
    [item] = json.loads(render_citations([ref], "csl-json"))
    assert item["author"][2] == {"family": "Abdoucheli-Baudat"}


def test_et_al_in_every_style(refs: list[Reference]) -> None:
    ref = next(r for r in refs if r.et_al)
    [entry] = parse_bibtex(render_citations([ref], "bibtex"))
    assert entry["author"].endswith(" and others")
    [record] = parse_ris(render_citations([ref], "ris"))
    assert len(record["authors"]) == len(ref.authors)
    assert any("et al" in n for n in record["notes"])
    [item] = json.loads(render_citations([ref], "csl-json"))
    assert len(item["author"]) == len(ref.authors)
    assert "et al" in item["note"]
    no_et_al = ref._replace(et_al=False)
    assert "others" not in render_citations([no_et_al], "bibtex")


# --- bibtex ---------------------------------------------------------------------------------


def test_bibtex_round_trips_every_bundled_reference(refs: list[Reference]) -> None:
    import bibtexparser  # noqa: F401 - a missing test dependency must fail, not skip
    from bibtexparser.customization import splitname

    text = render_citations(refs, "bibtex")
    entries = parse_bibtex(text)
    assert [e["ID"] for e in entries] == [r.id for r in refs]
    for ref, entry in zip(refs, entries, strict=True):
        assert entry["ENTRYTYPE"] == "article"
        for value in entry.values():
            assert braces_balance(value), (ref.id, value)
        names = entry["author"].split(" and ")
        if ref.et_al:
            assert names.pop() == "others"
        assert len(names) == len(ref.authors)
        for printed, name in zip(ref.authors, names, strict=True):
            parts = splitname(name)
            surname, initials = split_name(printed)
            assert " ".join(parts["von"] + parts["last"]) == surname
            assert "".join(p.rstrip(".") for p in parts["first"]) == initials
            assert all(re.fullmatch(r"\w\.", p) for p in parts["first"])
        assert entry["title"] == "{" + ref.title + "}"
        assert unescape_bibtex(entry["title"][1:-1]) == ref.title
        assert entry["journal"] == ref.journal
        assert entry["year"] == str(ref.year)
        assert entry.get("volume") == ref.volume
        assert entry.get("number") == expected_issue(ref)
        if ref.pages:
            first, last = full_pages(ref)
            assert entry["pages"] == f"{first}--{last}"
        else:
            assert "pages" not in entry
        assert entry.get("doi") == ref.doi
        assert entry.get("pmid") == ref.pmid
        if ref.kind == "conference abstract":
            assert entry["note"] == f"Abstract {ref.abstract_number}"
            assert entry["number"].startswith("Suppl")
        else:
            assert "note" not in entry
    assert "@inproceedings" not in text


def test_bibtex_escapes_specials_and_still_parses() -> None:
    import bibtexparser

    title = "Costs & benefits: 50% of {cases} in group_1 #2 at $5 ~ x^2 \\ end"
    ref = make(title=title, journal="J Bone & Joint_Res", authors=("O_Neil A&B", "Smith J"))
    text = render_citations([ref], "bibtex")
    [entry] = parse_bibtex(text)
    assert braces_balance(entry["title"])
    assert unescape_bibtex(entry["title"][1:-1]) == title
    assert unescape_bibtex(entry["journal"]) == "J Bone & Joint_Res"
    # bibtexparser's own LaTeX decoding agrees on the plain escapes
    plain = make(title="R&D: 50% of group_1 #2")
    [entry] = parse_bibtex(render_citations([plain], "bibtex"))
    assert bibtexparser.latexenc.latex_to_unicode(entry["title"]) == "R&D: 50% of group_1 #2"
    for raw in ("&", "%", "$", "#", "_"):
        assert re.search(r"(?<!\\)" + re.escape(raw), bibtex_escape(f"a{raw}b")) is None


@pytest.mark.parametrize("title", ["Open { brace", "Close } brace", "} backwards {", "{{nested}} ok"])
def test_bibtex_braces_always_balance(title: str) -> None:
    ref = make(title=title)
    entries = parse_bibtex(render_citations([ref, make(id="jones2002", authors=("Jones K",))], "bibtex"))
    assert [e["ID"] for e in entries] == ["smith2001", "jones2002"]
    entry = entries[0]
    assert braces_balance(entry["title"])
    assert unescape_bibtex(entry["title"][1:-1]) == title
    assert entry["journal"] == "J Test"  # the fields after the title were not swallowed


def test_bibtex_utf8_is_kept(refs: list[Reference]) -> None:
    ref = next(r for r in refs if r.id == "maillard2001")
    [entry] = parse_bibtex(render_citations([ref], "bibtex"))
    assert "α" in entry["title"]
    lassoued = next(r for r in refs if r.id == "lassoued1988")
    assert "Saïag, P." in render_citations([lassoued], "bibtex")


# --- ris ------------------------------------------------------------------------------------


def test_ris_lines_are_well_formed(refs: list[Reference]) -> None:
    text = render_citations(refs, "ris")
    records = text.split("\n\n")
    assert len(records) == len(refs)
    for record in records:
        lines = record.rstrip("\n").split("\n")
        assert lines[0] in ("TY  - JOUR", "TY  - ABST")
        assert lines[1].startswith("ID  - ")
        assert lines[-1] == "ER  - "
        for line in lines:
            assert re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line), line


def test_ris_round_trips_every_bundled_reference(refs: list[Reference]) -> None:
    records = parse_ris(render_citations(refs, "ris"))
    assert len(records) == len(refs)
    for ref, rec in zip(refs, records, strict=True):
        for value in rec.values():
            for item in value if isinstance(value, list) else [value]:
                assert "\n" not in item and "\r" not in item
        assert rec["type_of_reference"] == ("ABST" if ref.kind == "conference abstract" else "JOUR")
        assert rec["id"] == ref.id
        names = [f"{s}, {i}" if i else s for s, i in map(split_name, ref.authors)]
        assert rec["authors"] == names
        assert rec["title"] == ref.title
        assert rec["secondary_title"] == ref.journal
        assert rec["journal_name"] == ref.journal
        assert rec["year"] == str(ref.year)
        assert rec.get("volume") == ref.volume
        assert rec.get("number") == expected_issue(ref)
        if ref.pages:
            assert rec["start_page"] == ref.pages and "end_page" not in rec  # as printed
        else:
            assert "start_page" not in rec and "end_page" not in rec
        if ref.number is not None:
            assert f"Numbered {ref.number} in the source paper's reference list" in rec["notes"]
        assert rec.get("doi") == ref.doi
        assert rec.get("accession_number") == ref.pmid
        if ref.abstract_number:
            assert f"Abstract {ref.abstract_number}" in rec["notes"]


def test_ris_values_have_no_newlines() -> None:
    ref = make(title="Two\nlines\r\nhere", journal="J\tTest")
    [rec] = parse_ris(render_citations([ref], "ris"))
    assert rec["title"] == "Two lines here"
    assert rec["journal_name"] == "J Test"


# --- csl-json -------------------------------------------------------------------------------


def test_csl_json_validates_against_the_csl_schema(refs: list[Reference]) -> None:
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    items = json.loads(render_citations(refs, "csl-json"))
    jsonschema.Draft7Validator(schema).validate(items)
    odd = make(id="", authors=(), title="x & {y}", pages="e1", et_al=True, issue="3", supplement="suppl 2")
    jsonschema.Draft7Validator(schema).validate(json.loads(render_citations([odd], "csl-json")))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate([{"id": "x", "type": "paper-journal"}])


def test_csl_json_round_trips_every_bundled_reference(refs: list[Reference]) -> None:
    items = json.loads(render_citations(refs, "csl-json"))
    assert len(items) == len(refs)
    for ref, item in zip(refs, items, strict=True):
        assert item["id"] == ref.id
        assert item["type"] == "article-journal"
        assert item["title"] == ref.title
        assert item["container-title"] == item["container-title-short"] == ref.journal
        assert item["author"] == [
            {"family": s, "given": i} if i else {"family": s} for s, i in map(split_name, ref.authors)
        ]
        assert item["issued"] == {"date-parts": [[ref.year]]}
        assert item.get("volume") == ref.volume
        assert item.get("issue") == expected_issue(ref)
        if ref.pages:
            first, last = full_pages(ref)
            assert item["page"] == f"{first}-{last}"
        assert item.get("DOI") == ref.doi
        assert item.get("PMID") == ref.pmid
        if ref.kind == "conference abstract":
            assert item["note"] == f"Abstract {ref.abstract_number}"


def test_csl_given_names_are_the_printed_initials(refs: list[Reference]) -> None:
    ref = next(r for r in refs if r.id == "berger1987")
    [item] = json.loads(render_citations([ref], "csl-json"))
    assert item["author"][0] == {"family": "Berger", "given": "RG"}


# --- read back by pandoc's citeproc, as a manuscript would use them ----------------------------

PANDOC_BIBLIOGRAPHIES = {"bibtex": ".bib", "csl-json": ".json", "ris": ".ris"}


@pytest.mark.parametrize("style", list(PANDOC_BIBLIOGRAPHIES))
def test_pandoc_citeproc_resolves_every_key(refs: list[Reference], style: str, tmp_path: Path) -> None:
    import shutil
    import subprocess

    pandoc = shutil.which("pandoc")
    if pandoc is None:
        pytest.skip("pandoc is not installed")
    bibliography = tmp_path / f"refs{PANDOC_BIBLIOGRAPHIES[style]}"
    bibliography.write_text(render_citations(refs, style), encoding="utf-8")
    keys = [citation_key(r) for r in refs]
    manuscript = tmp_path / "paper.md"
    manuscript.write_text("Cited: " + "; ".join(f"[@{k}]" for k in keys) + ".\n", encoding="utf-8")
    proc = subprocess.run(
        [pandoc, "--citeproc", "--bibliography", str(bibliography), "-t", "plain", str(manuscript)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if style == "ris" and proc.returncode != 0 and "ris" in proc.stderr.casefold():
        pytest.skip(f"this pandoc reads no RIS bibliography: {proc.stderr.strip()[:80]}")
    assert proc.returncode == 0, proc.stderr
    assert "not found" not in proc.stderr, proc.stderr  # every key resolved
    text = " ".join(proc.stdout.split())
    for ref in refs:
        surname = split_name(ref.authors[0])[0]
        assert surname in text, (style, ref.id)
        assert str(ref.year) in text
