"""Filters, vocabularies, rows, sorting, columns and citations (calcinosis_cli.analysis.select and rows)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from calcinosis_cli import model
from calcinosis_cli import words as names
from calcinosis_cli.analysis import rows, select
from calcinosis_cli.analysis.select import Filters
from calcinosis_cli.dataset import load
from calcinosis_cli.errors import QueryError
from calcinosis_cli.references import bibliography
from calcinosis_cli.words import fold

REFERENCES_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "cukierman2004_references.txt"

WARFARIN = [
    "berger1987-warfarin-phase-1",
    "berger1987-warfarin-phase-2",
    "lassoued1988-warfarin",
    "yoshida1993-warfarin",
    "cukierman2004-warfarin",
]


@pytest.fixture(scope="module")
def ds() -> model.Dataset:
    return load.load_dataset()


def ids(ds: model.Dataset, **filters) -> list[str]:
    return [s.id for s in select.studies_matching(ds, Filters(**filters))]


# --- studies_matching -------------------------------------------------------------------------


def test_no_filters_match_every_study_in_order(ds):
    assert ids(ds) == [s.id for s in ds.studies]


@pytest.mark.parametrize("name", ["warfarin", "WARFARIN", "Coumadin", "low-dose warfarin", "vitamin K antagonist"])
def test_treatment_names_and_aliases(ds, name):
    assert ids(ds, treatments=(name,)) == WARFARIN


def test_treatment_class(ds):
    assert ids(ds, treatments=("bisphosphonate",)) == [
        "metzger1974-etidronate-10mgkg",
        "metzger1974-etidronate-20mgkg",
        "mukamel2001-alendronate",
        "oliveira2003-alendronate",
    ]


def test_repeated_treatments_or(ds):
    assert ids(ds, treatments=("diltiazem", "minocycline")) == [
        "dolan1995-diltiazem",
        "vaysairat1998-diltiazem",
        "robertson2003-minocycline",
    ]


def test_different_filters_and(ds):
    assert ids(ds, treatments=("warfarin",), max_n=4) == [
        "berger1987-warfarin-phase-1",
        "yoshida1993-warfarin",
        "cukierman2004-warfarin",
    ]
    assert ids(ds, treatments=("warfarin",), diagnoses=("juvenile dermatomyositis",)) == []


def test_diagnosis_finds_narrower_terms(ds):
    assert ids(ds, diagnoses=("dermatomyositis",)) == [
        "metzger1974-etidronate-10mgkg",
        "mukamel2001-alendronate",
        "oliveira2003-alendronate",
        "berger1987-warfarin-phase-1",
        "lassoued1988-warfarin",
        "maillard2001-anti-tnf",
    ]
    assert ids(ds, diagnoses=("SSc",)) == ["bottomley1996-carbon-dioxide-laser", "cukierman2004-warfarin"]
    assert "bottomley1996-carbon-dioxide-laser" in ids(ds, diagnoses=("scleroderma",))


def test_outcome_uses_the_shared_tally_of_spanning_rows(ds):
    assert ids(ds, outcomes=("worsened",)) == [
        "metzger1974-etidronate-10mgkg",
        "metzger1974-etidronate-20mgkg",
        "vaysairat1998-diltiazem",
        "lassoued1988-warfarin",
    ]


def test_years_and_counts(ds):
    assert ids(ds, year_from=1987, year_to=1988) == WARFARIN[:3]
    assert ids(ds, min_n=6, max_n=6) == ["bottomley1996-carbon-dioxide-laser", "lassoued1988-warfarin"]


@pytest.mark.parametrize("author", ["Vayssairat", "Vaysairat", "vaysairat m", "Hidouch"])
def test_author_matches_either_spelling(ds, author):
    assert ids(ds, authors=(author,)) == ["vaysairat1998-diltiazem"]


def test_search_any_text(ds):
    assert ids(ds, search=("BONE SCAN",)) == ["berger1987-warfarin-phase-1", "berger1987-warfarin-phase-2"]
    assert ids(ds, search=("ulceration", "placebo")) == ["robertson2003-minocycline", "berger1987-warfarin-phase-2"]


@pytest.mark.parametrize(
    ("filters", "fragment"),
    [
        ({"treatments": ("warfrin",)}, "unknown treatment 'warfrin'; did you mean 'warfarin'?"),
        ({"diagnoses": ("sclerodrema",)}, "unknown diagnosis 'sclerodrema'; did you mean 'scleroderma'?"),
        ({"outcomes": ("improvd",)}, "unknown outcome 'improvd'; did you mean 'improved'?"),
        ({"designs": ("case reprot",)}, "unknown design 'case reprot'; did you mean 'case report'?"),
    ],
)
def test_unknown_values_raise_query_error_with_a_suggestion(ds, filters, fragment):
    with pytest.raises(QueryError) as info:
        select.studies_matching(ds, Filters(**filters))
    assert fragment in str(info.value)


# --- vocabularies -------------------------------------------------------------------------------


def test_treatment_names(ds):
    names = select.treatment_names(ds)
    assert names["coumadin"] == {"warfarin"}
    assert names["bisphosphonate"] == {"etidronate", "alendronate"}
    assert names["co2 laser"] == {"carbon dioxide laser"}
    # The vocabulary's ESWL is a procedure too (it has no bundled rows).
    assert names["procedure"] == {"surgical removal", "carbon dioxide laser", "extracorporeal shock wave lithotripsy"}
    # Printed cells name the row's treatment, sub-rows included.
    assert names[">20 mg/kg"] == {"etidronate"}
    assert names["disodium etidronate 10 mg/kg"] == {"etidronate"}
    assert all(key == fold(key) for key in names)


def test_diagnosis_names(ds):
    names = select.diagnosis_names(ds)
    assert names["scleroderma"] == {"scleroderma", "systemic sclerosis"}
    assert names["ssc"] == {"systemic sclerosis"}
    assert names["dermatomyositis"] == {"dermatomyositis", "juvenile dermatomyositis"}
    assert names["dm"] == names["dermatomyositis"]
    assert names["jdm"] == {"juvenile dermatomyositis"}
    assert names["idiopathic inflammatory myositis"] == {
        "idiopathic inflammatory myositis",
        "dermatomyositis",
        "juvenile dermatomyositis",
    }


def test_diagnosis_names_survive_a_broader_cycle():
    diagnoses = {
        "a": model.Diagnosis("a", broader="b"),
        "b": model.Diagnosis("b", broader="a"),
    }
    ds = model.Dataset("t", "1", "", "", {}, {}, diagnoses, (), {}, ())
    names = select.diagnosis_names(ds)
    assert names["a"] == {"a", "b"}
    assert names["b"] == {"a", "b"}


def test_fold():
    assert names.fold("  Juvenile\tDERMATOMYOSITIS ") == "juvenile dermatomyositis"
    assert names.fold("Sai\u0308ag") == names.fold("Saïag")


# --- cells of spanning rows ---------------------------------------------------------------------


def test_outcome_and_reference_cells_of_the_etidronate_sub_row(ds):
    sub = ds.study("metzger1974-etidronate-20mgkg")
    assert sub.outcome_printed is None and sub.reference_printed is None
    assert rows.outcome_cell(ds, sub) == "5/6 Progression*"
    assert rows.reference_cell(ds, sub) == "Metzger et al (1974)"


def test_phase_ii_row_has_its_own_outcome_and_the_shared_reference(ds):
    phase2 = ds.study("berger1987-warfarin-phase-2")
    assert rows.outcome_cell(ds, phase2) == phase2.outcome_printed
    assert rows.outcome_cell(ds, phase2).startswith("2/3 Treatment group")
    assert rows.reference_cell(ds, phase2) == "Berger et al (1987)"


def test_cells_of_ordinary_rows_are_their_own(ds):
    row = ds.study("yoshida1993-warfarin")
    assert rows.outcome_cell(ds, row) == "Clinical and radiographic improvement"
    assert rows.reference_cell(ds, row) == "Yoshida and Torikai (1993)"
    # The paper's own series is not in its table: no printed cell, so its short citation, and no
    # label of the tool's passes for printed text.
    series = ds.study("cukierman2004-warfarin")
    assert series.reference_printed is None
    assert rows.printed_reference_cell(ds, series) is None
    assert rows.reference_cell(ds, series) == "Cukierman et al (2004)"


def test_study_row_of_the_sub_row(ds):
    row = rows.study_row(ds, ds.study("metzger1974-etidronate-20mgkg"))
    assert list(row) == list(rows.COLUMNS)
    assert row["outcome"] == "5/6 Progression*"
    assert row["footnote_marker"] == "*"
    assert row["footnote"].startswith("As indicated by increase")
    assert row["reference"] == "Metzger et al (1974)"
    assert row["tally_covers"] == ["metzger1974-etidronate-10mgkg", "metzger1974-etidronate-20mgkg"]
    assert (row["improved"], row["worsened"]) == (None, None)  # counted in the upper row's tally
    assert row["spans_from"] == "metzger1974-etidronate-10mgkg"


def test_study_row_of_the_series_shows_its_citation_and_no_printed_cell(ds):
    row = rows.study_row(ds, ds.study("cukierman2004-warfarin"))
    assert row["reference"] == "Cukierman et al (2004)"
    assert row["reference_printed"] is None
    assert row["table_row"] is None
    assert (row["improved"], row["unchanged"], row["worsened"], row["not_stated"]) == (2, 1, 0, 0)


def test_a_row_with_arms_lists_itself_as_what_its_tally_covers(ds):
    # Its treated arms' tally counts the row itself, as the column's description says.
    row = rows.study_row(ds, ds.study("berger1987-warfarin-phase-2"))
    assert row["tally_covers"] == ["berger1987-warfarin-phase-2"]
    assert (row["improved"], row["not_improved"], row["not_stated"]) == (2, 1, 0)


# --- citations --------------------------------------------------------------------------------


def test_vancouver_reference_2(ds):
    assert bibliography.vancouver(ds.references["berger1987"]) == (
        "Berger RG, Featherstone GL, Raasch RH, McCartney WH, Hadler NM. "
        "Treatment of calcinosis universalis with low-dose warfarin. Am J Med 1987;83:72-6."
    )


def test_vancouver_adds_doi_and_pmid(ds):
    text = bibliography.vancouver(ds.references["traineau2020"])
    assert text.startswith("Traineau H, Aggarwal R, Monfort JB, et al. Treatment of calcinosis cutis")
    assert text.endswith("J Am Acad Dermatol 2020;82(2):317-325. doi:10.1016/j.jaad.2019.07.006 PMID 31302187")


def _printed_references() -> dict[int, str]:
    out = {}
    for line in REFERENCES_FIXTURE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"- (\d+) (.*)", line)
        out[int(match[1])] = match[2].replace("**", "").replace("*", "")
    return out


@pytest.mark.parametrize(
    "number",
    range(1, 20),
)
def test_vancouver_reproduces_the_printed_entry(ds, number):
    ref = next(r for r in ds.references.values() if r.number == number)
    assert bibliography.vancouver(ref) == _printed_references()[number]


def test_short_citation_forms():
    def ref(authors, et_al=False):
        return model.Reference("x", tuple(authors), "T", "J", 1999, et_al=et_al)

    assert bibliography.short_citation(ref(["Black CM"])) == "Black (1999)"
    assert bibliography.short_citation(ref(["Yoshida S", "Torikai K"])) == "Yoshida and Torikai (1999)"
    assert bibliography.short_citation(ref(["A B", "C D", "E F"])) == "A et al (1999)"
    assert bibliography.short_citation(ref(["Maillard SM"], et_al=True)) == "Maillard et al (1999)"
    assert bibliography.short_citation(ref(["Abdoucheli-Baudat"])) == "Abdoucheli-Baudat (1999)"


def test_short_citation_matches_the_printed_reference_cells(ds):
    for study in ds.studies:
        if study.reference_printed is None:
            continue
        cited = bibliography.short_citation(ds.references[study.reference])
        if study.id == "vaysairat1998-diltiazem":
            # Table 1 spells the name "Vayssairat"; the reference list prints "Vaysairat".
            assert (study.reference_printed, cited) == ("Vayssairat et al (1998)", "Vaysairat et al (1998)")
        else:
            assert cited == study.reference_printed, study.id


# --- columns and sorting ------------------------------------------------------------------------


def test_parse_columns():
    assert rows.parse_columns(None, ("a", "b")) == ["a", "b"]
    assert rows.parse_columns("all", ()) == list(rows.COLUMNS)
    assert rows.parse_columns(" all ", ()) == list(rows.COLUMNS)
    assert rows.parse_columns("id, n,,reference", ()) == ["id", "n", "reference"]


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("", "--columns needs at least one column name"),
        (" , ", "--columns needs at least one column name"),
        ("id,treatmnt", "unknown column 'treatmnt'; did you mean 'treatment'?"),
        ("zzzz", "unknown column 'zzzz' (see --list-columns)"),
    ],
)
def test_parse_columns_errors(spec, fragment):
    with pytest.raises(QueryError) as info:
        rows.parse_columns(spec, ())
    assert fragment in str(info.value)


def test_default_columns_are_known_columns():
    assert set(rows.DEFAULT_COLUMNS) <= set(rows.COLUMNS)
    assert len(set(rows.COLUMNS)) == len(rows.COLUMNS)


ROWS = [
    {"id": "a", "dose": "b dose", "n": 3, "authors": ["Zed"]},
    {"id": "b", "dose": None, "n": None, "authors": []},
    {"id": "c", "dose": "A dose", "n": 10, "authors": ["Abe"]},
    {"id": "d", "dose": "", "n": 1, "authors": ["Mid"]},
    {"id": "e", "dose": "c dose", "n": 2, "authors": []},
]


def _order(rows):
    return [r["id"] for r in rows]


def test_sort_rows_numbers_with_empty_last_both_ways():
    assert _order(rows.sort_rows(ROWS, "n")) == ["d", "e", "a", "c", "b"]
    assert _order(rows.sort_rows(ROWS, "n", reverse=True)) == ["c", "a", "e", "d", "b"]


def test_sort_rows_text_case_insensitive_with_empty_last_both_ways():
    assert _order(rows.sort_rows(ROWS, "dose")) == ["c", "a", "e", "b", "d"]
    assert _order(rows.sort_rows(ROWS, "dose", reverse=True)) == ["e", "a", "c", "b", "d"]


def test_sort_rows_lists_with_empty_last_both_ways():
    assert _order(rows.sort_rows(ROWS, "authors")) == ["c", "d", "a", "b", "e"]
    assert _order(rows.sort_rows(ROWS, "authors", reverse=True)) == ["a", "d", "c", "b", "e"]


def test_sort_rows_without_key():
    assert _order(rows.sort_rows(ROWS, None)) == list("abcde")
    assert _order(rows.sort_rows(ROWS, None, reverse=True)) == list("edcba")
    assert rows.sort_rows(ROWS, None) is not ROWS


def test_sort_rows_unknown_key():
    with pytest.raises(QueryError) as info:
        rows.sort_rows(ROWS, "dos")
    assert "unknown sort column 'dos'; did you mean 'dose'?" in str(info.value)


def test_sort_real_rows_by_n(ds):
    studies = [rows.study_row(ds, s) for s in ds.studies]
    ns = [r["n"] for r in rows.sort_rows(studies, "n", reverse=True)]
    assert ns == sorted(ns, reverse=True)
    assert ns[0] == 12


# --- Filters.describe ---------------------------------------------------------------------------


def test_describe_empty():
    assert Filters().describe() == ""


def test_describe_orders_and_quotes():
    filters = Filters(
        treatments=("warfarin", "low dose warfarin"),
        diagnoses=("SSc",),
        outcomes=("improved",),
        designs=("case report",),
        min_n=0,
        max_n=12,
        year_from=1980,
        year_to=2004,
        authors=("O'Brien",),
        search=("bone scan",),
    )
    text = filters.describe()
    assert text.startswith("--treatment warfarin --treatment 'low dose warfarin' --diagnosis SSc --outcome improved")
    assert text.endswith("--min-n 0 --max-n 12 --year-from 1980 --year-to 2004")
    assert shlex.split(text) == [
        "--treatment",
        "warfarin",
        "--treatment",
        "low dose warfarin",
        "--diagnosis",
        "SSc",
        "--outcome",
        "improved",
        "--design",
        "case report",
        "--author",
        "O'Brien",
        "--search",
        "bone scan",
        "--min-n",
        "0",
        "--max-n",
        "12",
        "--year-from",
        "1980",
        "--year-to",
        "2004",
    ]


def test_printed_diagnosis_cell_finds_its_rows(ds):
    assert ids(ds, diagnoses=("Dermatomyositis Scleroderma",)) == [
        "berger1987-warfarin-phase-1",
        "lassoued1988-warfarin",
    ]


def test_printed_diagnosis_cell_that_is_also_a_term(ds):
    assert ids(ds, diagnoses=("Juvenile dermatomyositis",)) == [
        "mukamel2001-alendronate",
        "oliveira2003-alendronate",
        "maillard2001-anti-tnf",
    ]
