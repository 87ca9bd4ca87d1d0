"""Oxford CEBM 2009 levels of evidence, derived from study design by a fixed mapping.

The Oxford Centre for Evidence-Based Medicine "Levels of Evidence (March 2009)" grades
therapy studies from 1a (systematic review of RCTs) to 5 (expert opinion). The source
paper grades nothing; these levels are this tool's reading of each row's design, which is
itself the tool's coding (model.DESIGNS).
"""

from __future__ import annotations

# The scale's own order, best first; sorting by level follows this, not the alphabet.
CEBM_2009_ORDER = ("1a", "1b", "1c", "2a", "2b", "2c", "3a", "3b", "4", "5")

# design -> (level, reason)
DESIGN_LEVELS: dict[str, tuple[str, str]] = {
    "case report": (
        "4",
        "CEBM 2009 level 4 is 'case-series (and poor quality cohort and case-control studies)'; "
        "a single case report is graded with case series",
    ),
    "case series": ("4", "CEBM 2009 level 4: case-series"),
    "uncontrolled trial phase": (
        "4",
        "a trial phase with no comparison group is graded by CEBM 2009 as a case series: level 4",
    ),
    "placebo-controlled trial": (
        "2b",
        "CEBM 2009 level 2b includes 'low quality RCT; e.g., <80% follow-up'; the one such row "
        "is small (N = 8), its randomisation is not stated in the source, and its arms account "
        "for 7 of 8 patients, so it is not graded 1b",
    ),
}


def level_for(design: str) -> str:
    """The CEBM 2009 level for a study design."""
    return DESIGN_LEVELS[design][0]


def level_reason(design: str) -> str:
    """Why that design gets that level."""
    return DESIGN_LEVELS[design][1]


def level_rank(level: str | None) -> int:
    """Position of a level on the scale (unknown levels last)."""
    return CEBM_2009_ORDER.index(level) if level in CEBM_2009_ORDER else len(CEBM_2009_ORDER)
