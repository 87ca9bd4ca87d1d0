"""Levels of evidence: the design -> CEBM 2009 mapping, and sorting in the scale's order."""

from __future__ import annotations

import json

import pytest
from clihelp import ok

from calcinosis_cli import model
from calcinosis_cli.analysis import levels
from calcinosis_cli.analysis.levels import CEBM_2009_ORDER, DESIGN_LEVELS, level_for, level_rank, level_reason
from calcinosis_cli.analysis.rows import sort_rows
from calcinosis_cli.analysis.tally import group_order

PLACEBO_ROW = "berger1987-warfarin-phase-2"


# --- the mapping ---------------------------------------------------------------------------


def test_mapping_covers_exactly_the_model_designs():
    assert set(DESIGN_LEVELS) == set(model.DESIGNS)


@pytest.mark.parametrize("design", model.DESIGNS)
def test_every_design_has_a_level_on_the_scale_and_a_reason(design):
    level = level_for(design)
    assert level in CEBM_2009_ORDER
    reason = level_reason(design)
    assert isinstance(reason, str) and len(reason) > 20
    # The reason names the scale and the level it justifies.
    assert "CEBM 2009" in reason
    assert level in reason


@pytest.mark.parametrize(
    ("design", "level"),
    [
        ("case report", "4"),
        ("case series", "4"),
        ("uncontrolled trial phase", "4"),
        ("placebo-controlled trial", "2b"),
    ],
)
def test_design_levels(design, level):
    assert level_for(design) == level


def test_placebo_controlled_reason_says_why_not_1b():
    reason = level_reason("placebo-controlled trial")
    assert "not graded 1b" in reason
    assert "N = 8" in reason


def test_unknown_design_has_no_level():
    with pytest.raises(KeyError):
        level_for("randomised controlled trial")


def test_scale_is_the_cebm_2009_order():
    assert CEBM_2009_ORDER == ("1a", "1b", "1c", "2a", "2b", "2c", "3a", "3b", "4", "5")
    assert levels.CEBM_2009_ORDER is CEBM_2009_ORDER


# --- level_rank -----------------------------------------------------------------------------


def test_level_rank_orders_the_scale():
    assert level_rank("1a") < level_rank("2b") < level_rank("4") < level_rank("5")
    assert [level_rank(level) for level in CEBM_2009_ORDER] == list(range(len(CEBM_2009_ORDER)))


@pytest.mark.parametrize("unknown", [None, "", "6", "IB", "2B", "level 4"])
def test_unknown_levels_rank_last(unknown):
    assert level_rank(unknown) == len(CEBM_2009_ORDER)
    assert level_rank(unknown) > level_rank("5")


def test_sorting_by_rank_orders_mixed_levels():
    mixed = ["4", "1b", "5", "2b", "1a", "3a"]
    assert sorted(mixed, key=level_rank) == ["1a", "1b", "2b", "3a", "4", "5"]


def test_text_order_cannot_tell_rank_sorting_apart():
    # On this scale the alphabet happens to agree with the scale ("2b" < "4" both ways), so
    # the bundled data cannot show that sorting uses the rank; the monkeypatched test below does.
    assert sorted(CEBM_2009_ORDER) == list(CEBM_2009_ORDER)


# --- sort_rows ------------------------------------------------------------------------------


def _rows(*levels_: str) -> list[dict[str, object]]:
    return [{"id": f"r{i}", "level": level} for i, level in enumerate(levels_)]


def test_sort_rows_by_level_follows_the_scale():
    rows = _rows("1b", "2b", "4", "1a")
    assert [r["level"] for r in sort_rows(rows, "level")] == ["1a", "1b", "2b", "4"]


def test_sort_rows_by_level_reverse():
    rows = _rows("1b", "2b", "4", "1a")
    assert [r["level"] for r in sort_rows(rows, "level", reverse=True)] == ["4", "2b", "1b", "1a"]


def test_sort_rows_by_level_uses_rank_not_text(monkeypatch):
    # Put the scale in an order no text sort produces; sort_rows must follow it.
    monkeypatch.setattr("calcinosis_cli.analysis.rows.level_rank", lambda level: ["4", "1a", "2b"].index(level))
    rows = _rows("1a", "2b", "4")
    assert [r["level"] for r in sort_rows(rows, "level")] == ["4", "1a", "2b"]


def test_sort_rows_by_level_puts_empty_levels_last_both_ways():
    rows = _rows("4", "", "1a") + [{"id": "none", "level": None}]
    assert [r["level"] for r in sort_rows(rows, "level")] == ["1a", "4", "", None]
    assert [r["level"] for r in sort_rows(rows, "level", reverse=True)] == ["4", "1a", "", None]


def test_group_order_for_levels_follows_the_scale():
    rows = [{"group": g} for g in ("4", "1b", "2b", "1a", "5")]
    assert [r["group"] for r in sorted(rows, key=lambda r: group_order("level")(r["group"]))] == [
        "1a",
        "1b",
        "2b",
        "4",
        "5",
    ]


# --- through the CLI -------------------------------------------------------------------------


def _levels_in_order(*args: str) -> list[tuple[str, str]]:
    rows = json.loads(ok("list", "--format", "json", "--columns", "id,level", *args))
    return [(r["id"], r["level"]) for r in rows]


def test_list_rows_carry_the_level_of_their_design():
    rows = json.loads(ok("list", "--format", "json", "--columns", "id,design,level,level_reason"))
    assert len(rows) == 18
    for row in rows:
        assert row["level"] == level_for(row["design"])
        assert row["level_reason"] == level_reason(row["design"])
    assert [r["id"] for r in rows if r["level"] == "2b"] == [PLACEBO_ROW]


def test_list_sort_level_puts_the_2b_row_first():
    rows = _levels_in_order("--sort", "level")
    assert rows[0] == (PLACEBO_ROW, "2b")
    assert {level for _, level in rows[1:]} == {"4"}


def test_list_sort_level_reverse_puts_the_2b_row_last():
    rows = _levels_in_order("--sort", "level", "--reverse")
    assert rows[-1] == (PLACEBO_ROW, "2b")
    assert {level for _, level in rows[:-1]} == {"4"}


def test_list_sort_level_keeps_dataset_order_within_a_level():
    everything = [i for i, _ in _levels_in_order()]
    sorted_ids = [i for i, _ in _levels_in_order("--sort", "level")]
    assert sorted_ids == [PLACEBO_ROW] + [i for i in everything if i != PLACEBO_ROW]


def test_group_by_level_lists_2b_before_4():
    rows = json.loads(ok("group", "--by", "level", "--format", "json"))
    assert [r["group"] for r in rows] == ["2b", "4"]
    # 2b: Berger's phase II, its 3 treated patients (not the placebo arm, not the patient in no arm).
    assert (rows[0]["studies"], rows[0]["rows"], rows[0]["patients"]) == (1, 1, 3)
    # 4: every other row; Berger 1987 is a study here too, through its phase I.
    assert (rows[1]["studies"], rows[1]["rows"], rows[1]["patients"]) == (16, 17, 63)


def test_group_by_level_reverse_lists_4_first():
    rows = json.loads(ok("group", "--by", "level", "--format", "json", "--reverse"))
    assert [r["group"] for r in rows] == ["4", "2b"]


def test_group_by_level_markdown_ends_with_total():
    lines = ok("group", "--by", "level", "--format", "markdown").split("\n\n")[0].splitlines()  # notes follow
    assert [line.split("|")[1].strip() for line in lines[2:]] == ["2b", "4", "Total"]
