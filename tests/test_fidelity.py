"""The bundled dataset against the source paper (Cukierman et al, Ann Rheum Dis 2004).

The fixtures hold Table 1 (header, 17 printed rows, footnote line) and the REFERENCES list
copied verbatim from the paper; every printed cell is checked against the YAML record.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from calcinosis_cli import model
from calcinosis_cli.dataset import load

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
TABLE_FIXTURE = FIXTURES / "cukierman2004_table1.txt"
REFERENCES_FIXTURE = FIXTURES / "cukierman2004_references.txt"
PAPER = HERE.parent.parent / "shared" / "seed" / "cukierman-2004-ann-rheum-dis.txt"

HEADER = "Treatment modality\tNo\tDiagnosis\tOutcome\tReference"
SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
FOOTNOTE_MARKERS = ("*", "†", "‡", "§", "¶")


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


TABLE_LINES = _lines(TABLE_FIXTURE)
REFERENCE_LINES = _lines(REFERENCES_FIXTURE)
ROWS = [line.split("\t") for line in TABLE_LINES[1:18]]
FOOTNOTE_LINE = TABLE_LINES[18]


@pytest.fixture(scope="module")
def ds() -> model.Dataset:
    return load.load_dataset()


def _row_study(ds: model.Dataset, table_row: int) -> model.Study:
    matches = [s for s in ds.studies if s.table_row == table_row]
    assert len(matches) == 1, f"expected one study for table row {table_row}, got {len(matches)}"
    return matches[0]


def _split_reference_cell(cell: str) -> tuple[str, int]:
    """'Metzger <i>et al</i> (1974) ⁵' -> ('Metzger et al (1974)', 5)."""
    text = cell.replace("<i>", "").replace("</i>", "")
    match = re.fullmatch(r"(.*?)\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", text)
    assert match, f"no trailing superscript number in {cell!r}"
    return match.group(1), int(match.group(2).translate(SUPERSCRIPT_DIGITS))


# --- the fixtures are verbatim ------------------------------------------------------------


def test_fixture_shapes():
    assert TABLE_LINES[0] == HEADER
    assert len(TABLE_LINES) == 19
    assert all(len(row) == 5 for row in ROWS)
    assert FOOTNOTE_LINE.startswith("*As indicated")
    assert len(REFERENCE_LINES) == 19
    assert [int(line.split(" ")[1]) for line in REFERENCE_LINES] == list(range(1, 20))


@pytest.mark.skipif(not PAPER.is_file(), reason="the source paper's text is not on this machine")
def test_fixtures_equal_the_paper():
    paper = _lines(PAPER)
    start = paper.index(HEADER)
    assert TABLE_LINES[:18] == paper[start : start + 18]
    after_rows = [line for line in paper[start + 18 :] if line.strip()]
    assert TABLE_LINES[18] == after_rows[0]
    refs_at = paper.index("REFERENCES")
    entries = [line for line in paper[refs_at + 1 :] if line.strip()][:19]
    assert REFERENCE_LINES == entries
    following = [line for line in paper[refs_at + 1 :] if line.strip()][19]
    assert not following.startswith("- "), "the paper has more reference entries than the fixture"


# --- Table 1, row by row ------------------------------------------------------------------


def test_every_printed_row_is_a_study(ds):
    assert sorted(s.table_row for s in ds.studies if s.table_row is not None) == list(range(1, 18))
    assert all(s.source == "table 1" for s in ds.studies if s.table_row is not None)


@pytest.mark.parametrize("table_row", range(1, 18))
def test_treatment_cell(ds, table_row):
    assert _row_study(ds, table_row).treatment_printed == ROWS[table_row - 1][0]


@pytest.mark.parametrize("table_row", range(1, 18))
def test_no_cell(ds, table_row):
    cell = ROWS[table_row - 1][1]
    assert cell.isdigit()
    assert _row_study(ds, table_row).n == int(cell)


@pytest.mark.parametrize("table_row", range(1, 18))
def test_diagnosis_cell(ds, table_row):
    cell = ROWS[table_row - 1][2]
    assert _row_study(ds, table_row).diagnosis_printed == (cell or None)


@pytest.mark.parametrize("table_row", range(1, 18))
def test_outcome_cell(ds, table_row):
    study = _row_study(ds, table_row)
    cell = ROWS[table_row - 1][3]
    if cell:
        assert study.outcome_printed == cell
    else:
        assert study.outcome_printed is None
        assert study.spans_from is not None
        assert ds.study(study.spans_from).table_row == table_row - 1


@pytest.mark.parametrize("table_row", range(1, 18))
def test_outcome_cell_marker_is_the_footnote(ds, table_row):
    study = _row_study(ds, table_row)
    cell = ROWS[table_row - 1][3]
    markers = [m for m in FOOTNOTE_MARKERS if m in cell]
    assert len(markers) <= 1
    assert (study.footnote.marker if study.footnote else None) == (markers[0] if markers else None)


@pytest.mark.parametrize("table_row", range(1, 18))
def test_reference_cell(ds, table_row):
    study = _row_study(ds, table_row)
    cell = ROWS[table_row - 1][4]
    if not cell:
        assert study.reference_printed is None
        assert study.spans_from is not None
        parent = ds.study(study.spans_from)
        assert parent.table_row == table_row - 1
        assert study.reference == parent.reference
        return
    printed, number = _split_reference_cell(cell)
    assert study.reference_printed == printed
    assert ds.references[study.reference].number == number


# --- footnotes ----------------------------------------------------------------------------


def _printed_footnotes() -> dict[str, str]:
    parts = re.split("([*†‡§¶])", FOOTNOTE_LINE)
    assert parts[0] == ""
    out: dict[str, str] = {}
    for marker, text in zip(parts[1::2], parts[2::2], strict=True):
        text = text.removesuffix("; ")
        if marker == FOOTNOTE_MARKERS[-1]:
            assert text.endswith(".")
            text = text[:-1]
        out[marker] = text
    return out


def test_footnote_line_has_the_five_markers_in_order():
    assert list(_printed_footnotes()) == list(FOOTNOTE_MARKERS)


@pytest.mark.parametrize("marker", FOOTNOTE_MARKERS)
def test_footnote_text(ds, marker):
    assert {f.marker: f for f in ds.footnotes}[marker].text == _printed_footnotes()[marker]


def test_no_extra_footnotes(ds):
    assert [f.marker for f in ds.footnotes] == list(FOOTNOTE_MARKERS)


# --- references ---------------------------------------------------------------------------

ENTRY = re.compile(
    r"- (?P<number>\d+) \*\*(?P<first>[^*]+)\*\*(?P<others>[^.]*)\. "
    r"(?P<title>.+?) \*(?P<journal>[^*]+)\* (?P<year>\d{4});\*\*(?P<volume>[^*]+)\*\*"
    r"(?:\((?P<supplement>suppl \d+)\): abstr (?P<abstract>\w+)|:(?P<pages>[\d-]+))\.$"
)


def _parse_entry(line: str) -> dict[str, object]:
    match = ENTRY.match(line)
    assert match, f"unparsed reference entry: {line!r}"
    authors = [match["first"]]
    if match["others"]:
        assert match["others"].startswith(", ")
        authors += match["others"][2:].split(", ")
    title = match["title"]
    if title.endswith("."):
        title = title[:-1]
    return {
        "number": int(match["number"]),
        "authors": tuple(authors),
        "title": title,
        "journal": match["journal"],
        "year": int(match["year"]),
        "volume": match["volume"],
        "pages": match["pages"],
        "supplement": match["supplement"],
        "abstract_number": match["abstract"],
        "is_abstract": "[abstract]" in title,
    }


PARSED_ENTRIES = [_parse_entry(line) for line in REFERENCE_LINES]


def test_reference_parser_reads_the_tricky_entries():
    by_number = {e["number"]: e for e in PARSED_ENTRIES}
    assert by_number[7]["title"].endswith("dermatomyositis? [abstract]")
    abstract = by_number[7]
    assert (abstract["supplement"], abstract["abstract_number"], abstract["pages"]) == ("suppl 1", "0389", None)
    assert by_number[9]["journal"] == "J Hand Surg [Am]"
    assert by_number[11]["title"] == (
        "Cutaneous calcinosis of scleroderma. Successful treatment with intralesional adrenal steroids"
    )
    assert by_number[13]["authors"] == ("Vaysairat M", "Hidouch D", "Abdoucheli-Baudat", "Gaitz JP")
    assert by_number[1]["authors"] == ("Black CM",)


def test_numbered_references_are_exactly_the_printed_list(ds):
    numbered = sorted(r.number for r in ds.references.values() if r.number is not None)
    assert numbered == list(range(1, 20))


@pytest.mark.parametrize("entry", PARSED_ENTRIES, ids=lambda e: f"ref{e['number']}")
def test_reference_entry(ds, entry):
    matches = [r for r in ds.references.values() if r.number == entry["number"]]
    assert len(matches) == 1
    ref = matches[0]
    assert ref.authors == entry["authors"]
    assert ref.et_al is False
    assert ref.title == entry["title"]
    assert ref.journal == entry["journal"]
    assert ref.year == entry["year"]
    assert ref.volume == entry["volume"]
    assert ref.pages == entry["pages"]
    assert ref.supplement == entry["supplement"]
    assert ref.abstract_number == entry["abstract_number"]
    assert ref.issue is None
    assert ref.kind == ("conference abstract" if entry["is_abstract"] else "journal article")


# --- the paper's own series and the dataset as a whole --------------------------------------


def test_the_papers_own_series(ds):
    study = ds.study("cukierman2004-warfarin")
    assert study.source == "case reports"
    assert study.table_row is None
    assert study.treatment == "warfarin"
    assert study.reference == "cukierman2004"
    assert study.n == 3
    tally = ds.tally_for(study)
    assert (tally.improved, tally.unchanged, tally.worsened, tally.not_stated) == (2, 1, 0, 0)


def test_three_cases_aged_35_30_70(ds):
    cases = sorted(ds.cases, key=lambda c: c.number)
    assert [c.number for c in cases] == [1, 2, 3]
    assert [c.age_years for c in cases] == [35, 30, 70]
    assert {c.study for c in cases} == {"cukierman2004-warfarin"}
    assert [c.response for c in cases] == ["complete resolution", "complete resolution", "no change"]


def test_studies_are_the_table_rows_and_the_series(ds):
    assert len(ds.studies) == 18
    assert [s.source for s in ds.studies].count("case reports") == 1


@pytest.mark.parametrize(
    "study_id",
    [
        "metzger1974-etidronate-10mgkg",
        "metzger1974-etidronate-20mgkg",
        "berger1987-warfarin-phase-2",
        "cukierman2004-warfarin",
    ],
)
def test_tally_for_covers_the_study_examples(ds, study_id):
    study = ds.study(study_id)
    if study.arms:  # accounted for arm by arm instead
        assert ds.tally_for(study) is None
        return
    tally = ds.tally_for(study)
    assert tally is not None and study_id in tally.covers


def test_every_study_is_accounted_for_by_a_tally_or_its_arms(ds):
    for study in ds.studies:
        if study.arms:
            assert all(arm.tally.total == arm.n for arm in study.arms), study.id
            assert sum(arm.n for arm in study.arms) + study.unassigned == study.n, study.id
            continue
        tally = ds.tally_for(study)
        assert tally is not None, study.id
        assert study.id in tally.covers, study.id


def test_berger_phase_ii_arms_are_as_printed(ds):
    # "2/3 Treatment group had improvement in bone scan scores 0/4 Placebo group showed improvement", N = 8
    study = ds.study("berger1987-warfarin-phase-2")
    assert study.n == 8
    treated, placebo = study.arms
    assert (treated.label, treated.received, treated.n, treated.tally.improved) == ("Treatment group", "warfarin", 3, 2)
    assert (placebo.label, placebo.received, placebo.n, placebo.tally.improved) == ("Placebo group", "placebo", 4, 0)
    assert study.unassigned == 1


def test_spanning_etidronate_rows_share_one_tally(ds):
    upper = ds.study("metzger1974-etidronate-10mgkg")
    lower = ds.study("metzger1974-etidronate-20mgkg")
    assert ds.tally_for(lower) is ds.tally_for(upper)
    assert ds.tally_for(upper).total == upper.n + lower.n == 6
    assert (ds.tally_for(upper).worsened, ds.tally_for(upper).not_stated) == (5, 1)


def test_every_patient_is_accounted_for_once(ds):
    distinct: dict[tuple[str, ...], model.Tally] = {}
    in_arms = unassigned = 0
    for study in ds.studies:
        if study.arms:
            in_arms += sum(arm.tally.total for arm in study.arms)
            unassigned += study.unassigned
            continue
        tally = ds.tally_for(study)
        distinct[tally.covers] = tally
    assert sum(t.total for t in distinct.values()) + in_arms + unassigned == sum(s.n for s in ds.studies) == 71
    assert len(distinct) == 16
    treated = sum(arm.n for study in ds.studies for arm in ds.treated_arms(study))
    assert treated == 71 - 4 - 1  # the placebo arm and the patient in no arm are not treated


def test_only_the_source_and_the_later_review_carry_doi_or_pmid(ds):
    with_ids = {r.id: (r.doi, r.pmid) for r in ds.references.values() if r.doi or r.pmid}
    assert with_ids == {
        "cukierman2004": ("10.1136/ard.2003.014431", None),
        "traineau2020": ("10.1016/j.jaad.2019.07.006", "31302187"),
    }
