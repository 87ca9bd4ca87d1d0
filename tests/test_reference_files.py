"""Reading reference-manager exports: the fixtures of tests/fixtures/imports, broken files,
format detection and a round trip through render_citations for every bundled reference.

rispy and bibtexparser (1.x) are in the test extra; a missing one makes these tests fail.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import pytest

from calcinosis_cli.dataset.load import load_dataset
from calcinosis_cli.errors import CalcinosisError, MissingExtra
from calcinosis_cli.exchange.formats import (
    FORMATS,
    ReferenceFileError,
    ReferenceRecord,
    detect_format,
    read_references,
    render_citations,
)
from calcinosis_cli.exchange.formats.records import page_range
from calcinosis_cli.model import Reference

FIXTURES = Path(__file__).parent / "fixtures" / "imports"

TRAINEAU_AUTHORS = (
    "Traineau H",
    "Aggarwal R",
    "Monfort JB",
    "Senet P",
    "Oddis CV",
    "Chizzolini C",
    "Barbaud A",
    "Francès C",
    "Arnaud L",
    "Chasset F",
)
TRAINEAU_TITLE = "Treatment of calcinosis cutis in systemic sclerosis and dermatomyositis: A review of the literature"
TRAINEAU = {  # what every export of the Traineau 2020 record states (MEDLINE's final period dropped)
    "authors": TRAINEAU_AUTHORS,
    "title": TRAINEAU_TITLE,
    "journal": "J Am Acad Dermatol",
    "year": 2020,
    "volume": "82",
    "issue": "2",
    "pages": "317-325",
    "doi": "10.1016/j.jaad.2019.07.006",
    "pmid": "31302187",
}
BERGER_AUTHORS = ("Berger RG", "Featherstone GL", "Raasch RH", "McCartney WH", "Hadler NM")
LASSOUED_AUTHORS = ("Lassoued K", "Saïag P", "Anglade MC", "Roujeau JC", "Touraine RL")
OLIVEIRA_TITLE = (
    "Alendronate: is it efficacious therapy in the treatment of calcinosis in juvenile dermatomyositis? [abstract]"
)
VAYSAIRAT_TITLE = (
    "Clinical significance of subcutaneous calcinosis in patients with systemic sclerosis. "
    "Does diltiazem induce its regression?"
)
METZGER = {
    "authors": ("Metzger AL", "Singer FR", "Bluestone R", "Pearson CM"),
    "title": "Failure of disodium etidronate in calcinosis due to dermatomyositis and scleroderma",
    "journal": "N Engl J Med",
    "year": 1974,
    "volume": "291",
    "pages": "1294-6",
}


def read(name: str) -> list[ReferenceRecord]:
    path = FIXTURES / name
    return read_references(str(path), path.read_bytes())


def by_label(records: list[ReferenceRecord]) -> dict[str, dict[str, object]]:
    return {r.label: r.fields for r in records}


# --- the fixtures -------------------------------------------------------------------------


def test_pubmed_nbib_traineau2020_in_full():
    (record,) = read("pubmed.nbib")
    assert record.position == 1
    assert record.label == "record 1 (Traineau 2020)"
    assert record.fields == TRAINEAU
    assert record.where["pmid"] == "PMID"
    assert record.where["journal"] == "TA"
    assert record.where["doi"] in ("LID", "AID")


def test_endnote_ris_keeps_the_first_record_behind_the_bom():
    records = read("endnote.ris")
    assert [r.label for r in records] == [
        "record 1 (Berger 1987)",
        "record 2 (Metzger 1974)",
        "record 3 (Vaysairat 1998)",
        "record 4 (Lian 1982)",
        "record 5 (Oliveira 2003)",
        "record 6 (Traineau 2020)",
    ]
    assert records[0].fields == {
        "authors": BERGER_AUTHORS,
        "title": "Treatment of calcinosis universalis with low-dose warfarin",
        "journal": "Am J Med",
        "year": 1987,
        "volume": "83",
        "pages": "72-6",  # SP alone holds the printed range
    }
    assert records[1].fields == METZGER
    assert records[3].fields["pages"] == "1094-100"


def test_endnote_ris_conference_abstract_and_accession_number():
    records = read("endnote.ris")
    assert records[4].fields == {
        "authors": ("Oliveira SKF", "Wolff C"),
        "title": OLIVEIRA_TITLE,
        "journal": "Ann Rheum Dis",
        "year": 2003,
        "volume": "62",
        "supplement": "suppl 1",
        "abstract_number": "0389",
        "kind": "conference abstract",
    }
    assert records[4].where["abstract_number"] == "N1"
    assert records[4].where["supplement"] == "IS"
    assert records[5].fields == TRAINEAU | {"issn": "0190-9622"}  # J2 rather than T2; SN
    assert records[5].where["pmid"] == "AN"
    assert records[5].where["journal"] == "J2"


def test_zotero_ris():
    records = read("zotero.ris")
    assert len(records) == 7
    assert records[1].fields == {
        "authors": LASSOUED_AUTHORS,
        "title": "Failure of warfarin in treatment of calcinosis universalis",
        "journal": "Am J Med",
        "year": 1988,
        "volume": "84",
        "pages": "795-6",  # SP 795 + EP 6, as written
    }
    assert records[1].where["pages"] == "SP/EP"
    assert records[2].fields["authors"] == ("Vaysairat M", "Hidouch D", "Abdoucheli-Baudat", "Gaitz JP")
    assert records[3].fields == {
        "authors": ("Oliveira SKF", "Wolff C"),
        "title": OLIVEIRA_TITLE,
        "journal": "Ann Rheum Dis",
        "year": 2003,
        "volume": "62",
        "supplement": "suppl 1",
        "pages": "0389",  # Zotero puts the abstract number in SP: read as the pages it states
        "kind": "conference abstract",  # from the title's "[abstract]"
    }
    assert records[4].fields == TRAINEAU | {"issn": "0190-9622"}
    assert records[4].where["pmid"] == "L2"  # only in the PubMed link
    assert records[6].fields == {
        "authors": ("Robertson LP", "Marshall RW", "Hickling P"),
        "title": "Treatment of cutaneous calcinosis in limited systemic sclerosis with minocycline",
        "journal": "Ann Rheum Dis",
        "url": "http://ard.bmj.com/content/62/3/267.full",
        "year": 2003,
        "volume": "62",
        "issue": "3",
        "pages": "267-269",
        "doi": "10.1136/ard.62.3.267",
    }


def test_zotero_bib():
    records = read("zotero.bib")
    assert len(records) == 7
    assert records[1].fields["authors"] == LASSOUED_AUTHORS
    assert records[2].fields["title"] == VAYSAIRAT_TITLE  # "{Does}" unbraced
    assert records[3].fields == {
        "authors": ("Oliveira SKF", "Wolff C"),
        "title": OLIVEIRA_TITLE,
        "journal": "Ann Rheum Dis",
        "year": 2003,
        "volume": "62",
        "supplement": "suppl 1",
        "pages": "0389",
        "kind": "conference abstract",
    }
    assert records[3].where["supplement"] == "number"
    assert records[4].fields == {
        **TRAINEAU,
        "journal": "Journal of the American Academy of Dermatology",
        "issn": "0190-9622",
    }  # no shortjournal in the entry
    assert records[5].fields["pages"] == "1341-1343"


def test_jabref_bib_latex_strings_and_wrapped_values():
    records = read("jabref.bib")
    assert [r.label for r in records] == [
        "record 1 (Berger 1987)",
        "record 2 (Lassoued 1988)",
        "record 3 (Vaysairat 1998)",
        "record 4 (Metzger 1974)",
        "record 5 (Traineau 2020)",
    ]
    assert records[0].fields == {
        "authors": BERGER_AUTHORS,  # "McCartney,<CRLF><TAB>W. H." is one name
        "title": "Treatment of calcinosis universalis with low-dose warfarin",
        "journal": "Am J Med",  # @String{AmJMed = ...}
        "year": 1987,
        "volume": "83",
        "pages": "72-6",  # "72--6": the dash, never the digits
    }
    saiag = records[1].fields
    assert saiag == {
        "authors": LASSOUED_AUTHORS,
        "title": "Failure of warfarin in treatment of calcinosis universalis",
        "journal": "Am J Med",
        "year": 1988,
        "volume": "84",
        "pages": "795-6",
    }
    assert saiag["authors"][1] == "Sa\u00efag P"  # precomposed ï, not a dotless i + combining mark
    assert unicodedata.is_normalized("NFC", saiag["authors"][1])
    assert records[2].fields["title"] == VAYSAIRAT_TITLE  # "{D}oes" and a wrapped line
    assert records[2].fields["pages"] == "252-4"
    assert records[3].fields == METZGER  # @string nejm, quoted values, year = 1974
    assert records[4].fields == TRAINEAU


def test_zotero_csl_json():
    records = read("zotero-csl.json")
    assert len(records) == 6
    assert records[2].fields == {
        "authors": ("Vaysairat M", "Hidouch D", "Abdoucheli-Baudat", "Gaitz JP"),  # given ""
        "title": VAYSAIRAT_TITLE,
        "journal": "Ann Rheum Dis",
        "year": 1998,
        "volume": "57",
        "pages": "252-254",
    }
    assert records[3].fields["supplement"] == "suppl 1"
    assert records[3].fields["pages"] == "0389"
    assert records[4].fields == TRAINEAU | {"issn": "0190-9622", "issued": "2020-02"}  # "2020" a string
    assert records[4].where["pmid"] == "note"
    assert records[4].where["journal"] == "journalAbbreviation"


def test_zotero8_csl_json():
    (record,) = read("zotero8-csl.json")
    assert record.fields == TRAINEAU | {"issn": "0190-9622", "issued": "2020-02"}
    assert record.where["pmid"] == "PMID"


def test_collisions_ris_three_smith_2001_in_order():
    records = read("collisions.ris")
    assert [r.position for r in records] == [1, 2, 3, 4]
    assert [r.label for r in records] == [
        "record 1 (Smith 2001)",
        "record 2 (Smith 2001)",
        'record 3 ("Fictional unsigned editorial" 2001)',
        "record 4 (Smith 2001)",
    ]
    smiths = [r.fields for r in records if r.fields.get("authors", ("",))[0] == "Smith J"]
    assert [f["title"] for f in smiths] == [
        "Fictional trial A of a placebo cream",
        "Fictional trial B of a placebo tablet",
        "Fictional multicentre registry with eight authors",
    ]
    assert all(f["year"] == 2001 for f in smiths)
    # the old Reference Manager tags of record 2
    assert records[1].fields == {
        "authors": ("Smith J",),
        "title": "Fictional trial B of a placebo tablet",
        "journal": "Journal of Test Fixtures",
        "year": 2001,
        "volume": "1",
        "pages": "10-19",
    }
    assert records[1].where == {
        "authors": "A1",
        "title": "T1",
        "journal": "JO",
        "year": "Y1",
        "volume": "VL",
        "pages": "SP",
    }
    assert "authors" not in records[2].fields
    assert records[3].fields["authors"] == (
        "Smith J",
        "Jones AB",
        "Nguyen C",
        "Okafor DE",
        "Larsen F",
        "Müller G",
        "Rossi HI",
        "Tanaka K",
    )


@pytest.mark.parametrize(
    "name",
    ["zotero.ris", "endnote.ris", "pubmed.nbib", "zotero.bib", "jabref.bib", "zotero-csl.json", "zotero8-csl.json"],
)
def test_fields_hold_no_empty_values_and_only_reference_fields(name):
    allowed = set(Reference._fields) - {"id", "number", "notes"}
    for record in read(name):
        assert set(record.fields) <= allowed
        assert set(record.where) == set(record.fields)
        for value in record.fields.values():
            assert value not in (None, "", ())
            if isinstance(value, str):
                assert unicodedata.is_normalized("NFC", value)
                assert value == " ".join(value.split())


# --- detection ----------------------------------------------------------------------------


def test_formats():
    assert FORMATS == ("ris", "bibtex", "csl-json", "medline")


@pytest.mark.parametrize(
    ("fixture", "misleading", "expected"),
    [
        ("endnote.ris", "export.txt", "ris"),  # EndNote saves RIS as .txt; the BOM comes first
        ("zotero.ris", "refs.bib", "ris"),
        ("pubmed.nbib", "pubmed.ris", "medline"),
        ("zotero.bib", "library.json", "bibtex"),
        ("jabref.bib", "library", "bibtex"),  # "% Encoding" comment before the first entry
        ("zotero-csl.json", "items.txt", "csl-json"),
        ("zotero8-csl.json", "items", "csl-json"),
        ("pubmed.nbib", "citation", "medline"),
    ],
)
def test_detect_format_by_content(fixture, misleading, expected):
    data = (FIXTURES / fixture).read_bytes()
    assert detect_format(misleading, data) == expected
    assert [r.fields for r in read_references(misleading, data)] == [r.fields for r in read(fixture)]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a.ris", "ris"), ("a.RIS", "ris"), ("a.bib", "bibtex"), ("a.json", "csl-json"), ("a.nbib", "medline"),
     ("a.txt", "medline"), ("a.csv", None), ("noext", None)],
)  # fmt: skip
def test_detect_format_falls_back_to_the_suffix(name, expected):
    assert detect_format(name, b"nothing recognisable\n") == expected


def test_unrecognised_file_is_an_error():
    with pytest.raises(ReferenceFileError) as info:
        read_references("sheet.csv", b"id,title\nx,y\n")
    assert "sheet.csv" in str(info.value)


# --- broken files -------------------------------------------------------------------------

BROKEN = sorted((FIXTURES / "broken").iterdir())


def test_every_broken_fixture_is_listed():
    assert {p.name for p in BROKEN} == {
        "bad-continuation.nbib",
        "empty.ris",
        "missing-er.ris",
        "not-array.json",
        "unbalanced-brace.bib",
    }


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_broken_file_gives_one_line_naming_the_file(path):
    with pytest.raises(ReferenceFileError) as info:
        read_references(str(path), path.read_bytes())
    message = str(info.value)
    assert "\n" not in message and "\r" not in message
    assert str(path) in message
    assert info.value.path == str(path)
    assert isinstance(info.value, CalcinosisError)  # the CLI shows it as one line, exit 1


def broken(name: str) -> ReferenceFileError:
    path = FIXTURES / "broken" / name
    with pytest.raises(ReferenceFileError) as info:
        read_references(str(path), path.read_bytes())
    return info.value


def test_missing_er_names_the_record():
    err = broken("missing-er.ris")
    assert err.position == 1
    assert "record 1 (Berger 1987)" in str(err)
    assert "ER" in str(err)


def test_unbalanced_brace_names_the_entry():
    err = broken("unbalanced-brace.bib")
    assert err.position == 1
    assert "berger_treatment_1987" in str(err)


def test_bad_continuation_names_the_line():
    assert "line 5" in str(broken("bad-continuation.nbib"))
    path = FIXTURES / "broken" / "bad-continuation.nbib"
    fixed = path.read_bytes().replace(b"\r\n\treview", b"\r\n      review")
    with pytest.raises(ReferenceFileError, match="line 9"):  # "  FAU - Aggarwal, Rohit"
        read_references("fixed.nbib", fixed)


def test_utf16_with_a_bom_is_read():
    data = (FIXTURES / "utf16.ris").read_bytes()
    assert data.startswith((b"\xff\xfe", b"\xfe\xff"))
    assert [r.label for r in read_references("utf16.ris", data)][:1] == ["record 1 (Lassoued 1988)"]


def test_empty_file():
    assert "no references in" in str(broken("empty.ris"))


def test_not_array():
    err = broken("not-array.json")
    assert "array" in str(err)


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("latin1.ris", "TY  - JOUR\nAU  - Saïag, P.\nER  - \n".encode("latin-1"), "UTF-8"),
        ("blank.ris", b"  \n\n", "no references"),
        ("none.ris", b"just text\n", "no references"),
        ("empty.json", b"[]", "no references"),
        ("numbers.json", b"[1, 2]", "not a JSON object"),
        ("bad.json", b'[{"title": "x",}]', "not valid JSON"),
        ("nota.json", b'[{"title": ["x"]}]', "record 1"),
        ("truncated.ris", b"TY  - JOUR\nTI  - A\nER  - \n\nTY  - JOUR\nTI  - B\n", "record 2"),
        ("orphan.ris", b"AU  - Smith, J.\nTY  - JOUR\nER  - \n", "line 1"),
        ("macro.bib", b"@article{a, journal = undefinedmacro, title = {T}}\n", "undefinedmacro"),
        ("lost.bib", b"@article{a, title = {A}}\n@article{b, title = {B}\n@article{c, title = {C}}\n", "record 2"),
    ],
)
def test_other_damage(name, data, needle):
    with pytest.raises(ReferenceFileError) as info:
        read_references(name, data)
    message = str(info.value)
    assert needle in message
    assert name in message
    assert "\n" not in message


def test_missing_parsers_ask_for_the_import_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "rispy", None)
    monkeypatch.setitem(sys.modules, "bibtexparser", None)
    with pytest.raises(MissingExtra, match=r"calcinosis\[import\]"):
        read("zotero.ris")
    with pytest.raises(MissingExtra, match=r"calcinosis\[import\]"):
        read("zotero.bib")
    assert read("pubmed.nbib") and read("zotero8-csl.json")  # json and MEDLINE need nothing


# --- field rules on small inputs ----------------------------------------------------------


def ris(*lines: str) -> dict[str, object]:
    text = "\n".join(["TY  - JOUR", *lines, "ER  - ", ""])
    (record,) = read_references("t.ris", text.encode())
    return record.fields


def bib(body: str) -> dict[str, object]:
    (record,) = read_references("t.bib", f"@article{{k,\n{body}\n}}\n".encode())
    return record.fields


def test_author_forms():
    assert ris(
        "AU  - Berger, Roger G.",
        "AU  - Monfort, Jean-Benoît",
        "AU  - Berg, A. van der",
        "AU  - Smith, RG",
        "AU  - Abdoucheli-Baudat",
        "AU  - et al.",
    ) == {
        "authors": ("Berger RG", "Monfort JB", "van der Berg A", "Smith RG", "Abdoucheli-Baudat"),
        "et_al": True,
    }
    names = r"Roger G. Berger and Ludwig van Beethoven and {\'E}mile Zola and {World Health Organization} and others"
    assert bib(f"author = {{{names}}}") == {
        "authors": ("Berger RG", "van Beethoven L", "Zola É", "World Health Organization"),
        "et_al": True,
    }


def test_latex_decoding():
    fields = bib(
        r"author = {Sa{\"\i}ag, P. and M\"{u}ller, H. and Gar\c{c}on, F. and {\O}stergaard, J. and Stra\ss e, K.},"
        "\n"
        r"title = {{T}he {\'e}t{\'e} of 1980--2018: R\&D at 50\% \textasciitilde{} $\alpha$ \emph{in vivo}},"
        "\n"
        r"pages = {e12--e19}"
    )
    assert fields["authors"] == ("Saïag P", "Müller H", "Garçon F", "Østergaard J", "Straße K")
    assert fields["title"] == "The été of 1980–2018: R&D at 50% ~ α in vivo"
    assert fields["pages"] == "e12-e19"
    assert all(unicodedata.is_normalized("NFC", a) for a in fields["authors"])  # type: ignore[union-attr]


def test_issue_supplement_abstract_number_and_kind():
    fields = read_references("t.ris", b"TY  - ABST\nIS  - 2 Suppl 1\nN1  - Abstract 0389\nER  - \n")[0].fields
    assert fields == {"issue": "2", "supplement": "suppl 1", "abstract_number": "0389", "kind": "conference abstract"}
    assert bib("number = {Suppl 2}, note = {Abstract 770}") == {"supplement": "suppl 2", "abstract_number": "770"}
    assert ris("IS  - 4") == {"issue": "4"}
    assert ris("TI  - A study [abstract]")["kind"] == "conference abstract"
    medline = b"PMID- 1\nTI  - A review.\nPT  - Journal Article\nPT  - Review\n"
    assert read_references("r.nbib", medline)[0].fields == {"pmid": "1", "title": "A review", "kind": "review"}
    csl = [{"type": "article-journal", "title": "T", "genre": "review", "issue": "Suppl 1", "note": "Abstract 12"}]
    assert read_references("r.json", json.dumps(csl).encode())[0].fields == {
        "title": "T",
        "kind": "review",
        "supplement": "suppl 1",
        "abstract_number": "12",
    }


def test_identifiers():
    assert ris("DO  - https://doi.org/10.1/x", "AN  - WOS:000123") == {"doi": "10.1/x"}
    assert ris("AN  - 123", "DO  - doi:10.1/y") == {"pmid": "123", "doi": "10.1/y"}
    assert ris("UR  - https://pubmed.ncbi.nlm.nih.gov/4567/") == {
        "pmid": "4567",
        "url": "https://pubmed.ncbi.nlm.nih.gov/4567/",
    }
    assert bib("doi = {https://doi.org/10.2/z}, pmid = {99}") == {"doi": "10.2/z", "pmid": "99"}


def test_year_from_other_date_fields():
    assert ris("DA  - 2020/02//") == {"year": 2020, "issued": "2020-02"}
    assert ris("Y1  - 1987///") == {"year": 1987}
    assert ris("DA  - Feb") == {}
    assert bib("date = {2019-07-11}") == {"year": 2019, "issued": "2019-07-11"}
    csl = [{"type": "article-journal", "issued": {"date-parts": [[1999, 3]]}}]
    assert read_references("y.json", json.dumps(csl).encode())[0].fields == {"year": 1999, "issued": "1999-03"}


def test_journal_prefers_the_abbreviation():
    assert ris("T2  - Journal of Things", "JO  - J Things") == {"journal": "J Things"}
    assert bib("journal = {Journal of Things}, shortjournal = {J Things}") == {"journal": "J Things"}
    csl = [{"type": "article-journal", "container-title": "Journal of Things", "container-title-short": "J Things"}]
    assert read_references("j.json", json.dumps(csl).encode())[0].where == {"journal": "container-title-short"}


def test_medline_continuation_keeps_words_apart():
    data = b"PMID- 5\r\nTI  - A long title that wraps\r\n      onto a second line.\r\nJT  - Journal\r\n"
    assert read_references("w.nbib", data)[0].fields == {
        "pmid": "5",
        "title": "A long title that wraps onto a second line",
        "journal": "Journal",
    }


# --- round trip through render_citations --------------------------------------------------

COMPARED = ("authors", "title", "journal", "year", "volume", "issue", "supplement", "pages", "abstract_number",
            "doi", "pmid", "kind", "et_al")  # fmt: skip
SUFFIX = {"bibtex": "out.bib", "ris": "out.ris", "csl-json": "out.json"}


def stated(ref: Reference) -> dict[str, object]:
    """The fields of ``ref`` a reader should find (all but id, number and notes)."""
    fields = {name: getattr(ref, name) for name in COMPARED}
    if fields["kind"] == "journal article":
        del fields["kind"]
    return {k: v for k, v in fields.items() if v not in (None, "", (), False)}


def after_writer_losses(ref: Reference, style: str) -> dict[str, object]:
    """What render/citations.py keeps: reviews as plain articles; pages as a full range in BibTeX
    and CSL-JSON (RIS keeps them as printed, and the source paper's numbering in a note)."""
    fields = stated(ref)
    if ref.pages and style != "ris":
        first, last = page_range(ref.pages)
        fields["pages"] = f"{first}-{last}" if last else first
    if ref.number is not None and style == "ris":
        fields["number"] = ref.number
    if ref.kind == "review":
        del fields["kind"]
    return fields


@pytest.mark.parametrize("style", ["bibtex", "ris", "csl-json"])
def test_round_trip_of_every_bundled_reference(style):
    refs = list(load_dataset().references.values())
    text = render_citations(refs, style)
    records = read_references(SUFFIX[style], text.encode("utf-8"))
    assert len(records) == len(refs)
    for ref, record in zip(refs, records, strict=True):
        assert record.fields == after_writer_losses(ref, style), ref.id
    # the losses are the writer's, and only these
    found = {ref.id: record.fields for ref, record in zip(refs, records, strict=True)}
    if style == "ris":
        assert found["berger1987"]["pages"] == "72-6"  # as printed
        assert found["berger1987"]["number"] == 2
    else:
        assert found["berger1987"]["pages"] == "72-76"  # printed 72-6
        assert found["cukierman2004"]["pages"] == "1341-1343"  # printed with an en dash
    assert "kind" not in found["traineau2020"]  # a review
    assert found["traineau2020"]["et_al"] is True
    assert found["lassoued1988"]["authors"][1] == "Saïag P"
    assert found["vaysairat1998"]["authors"][2] == "Abdoucheli-Baudat"
    assert found["oliveira2003"]["supplement"] == "suppl 1"
    assert found["oliveira2003"]["abstract_number"] == "0389"
    assert found["oliveira2003"]["kind"] == "conference abstract"
    assert found["maillard2001"]["title"].endswith("anti-TNF α therapy [abstract]")


@pytest.mark.parametrize("style", ["bibtex", "ris", "csl-json"])
def test_round_trip_of_awkward_values(style):
    ref = Reference(
        id="x",
        authors=("van der Berg A", "O'Neil JB", "Łukasiewicz J", "Abdoucheli-Baudat", "Müller-Lüdenscheidt HP"),
        title="R&D: 50% of group_1 #2 {x} ~ ^ \\ and a {b $5 [abstract]",
        journal="J Test & Co [Am]",
        year=2001,
        volume="12",
        issue="2",
        supplement="suppl 1",
        pages="e123",
        abstract_number="A12",
        doi="10.1000/a_b%c",
        pmid="123",
        kind="conference abstract",
        et_al=True,
    )
    (record,) = read_references(SUFFIX[style], render_citations([ref], style).encode("utf-8"))
    assert record.fields == stated(ref)


def test_ris_text_outside_records_is_skipped():
    data = b"Provider: Some Database\nContent: text/plain\n\nTY  - JOUR\nTI  - A\nER  - \n\nExported 2024\n"
    assert [r.fields for r in read_references("h.ris", data)] == [{"title": "A"}]


def test_medline_records_split_on_blank_lines_or_a_new_pmid():
    data = b"PMID- 1\nTI  - One.\n\nPMID- 2\nTI  - Two.\nPMID- 3\nTI  - Three.\n"
    records = read_references("m.nbib", data)
    assert [(r.position, r.fields) for r in records] == [
        (1, {"pmid": "1", "title": "One"}),
        (2, {"pmid": "2", "title": "Two"}),
        (3, {"pmid": "3", "title": "Three"}),
    ]
