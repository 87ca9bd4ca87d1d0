"""Per-row estimates: for each treated arm of the selected rows, its events (improved) over the
patients whose outcome is stated. The forest plot, pooling and the Summary of Findings all read
them from here, so that they count alike.

The rules are those of the crude tallies (tally.py): only treated arms count; a tally printed
across several rows is one estimate, on the row that holds it, and only when every row it
covers is selected; otherwise its patients have no estimate of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from .. import model
from ..stats.binomial import DEFAULT_LEVEL, Interval, improved_interval

NOT_ALL_SELECTED = "outcome printed across rows not all selected"


class RowEstimate(NamedTuple):
    """One estimate: a row's treated arm (a tally shared by rows is one estimate)."""

    study: model.Study  # the row that holds the tally
    covered: tuple[model.Study, ...]  # every row it counts (more than one where a cell spans rows)
    received: str  # the treatment the arm received
    patients: int
    improved: int
    stated: int  # the denominator: improved, unchanged, worsened and not improved
    note: str = ""  # why there is no estimate (stated is then 0)

    @property
    def estimable(self) -> bool:
        return self.stated > 0


def row_estimates(ds: model.Dataset, studies: Sequence[model.Study]) -> list[RowEstimate]:
    """One estimate per treated arm of ``studies``, in dataset order."""
    selected = {s.id for s in studies}
    out = []
    for study in studies:
        for arm in ds.treated_arms(study):
            tally = arm.tally
            covered = (study,)
            if tally is not None and len(tally.covers) > 1:
                if study.tally is not tally:
                    continue  # the estimate sits on the row that holds the shared tally
                covered = tuple(ds.study(i) for i in tally.covers)
            patients = sum(s.n for s in covered) if len(covered) > 1 else arm.n
            if tally is None or not all(s.id in selected for s in covered):
                out.append(RowEstimate(study, covered, arm.received, patients, 0, 0, NOT_ALL_SELECTED))
            else:
                out.append(RowEstimate(study, covered, arm.received, patients, tally.improved, tally.stated))
    return out


def interval_text(interval: Interval | None) -> str | None:
    """``43.8 (19.8–70.1)``: the percentage and its interval, for a person to read."""
    return None if interval is None else f"{interval.pct} ({interval.low}–{interval.high})"


def interval_columns(improved: int, stated: int, level: int = DEFAULT_LEVEL) -> dict[str, object]:
    """The columns every row with a tally carries: improved_pct, ci_low, ci_high, ci_level, improved_ci."""
    interval = improved_interval(improved, stated, level)
    return {
        "improved_pct": interval.pct if interval else None,
        "ci_low": interval.low if interval else None,
        "ci_high": interval.high if interval else None,
        "ci_level": level if interval else None,
        "improved_ci": interval_text(interval),
    }


# Column descriptions, shared by list and group.
INTERVAL_COLUMNS = {
    "improved_pct": "improved as a percentage of the treated patients whose outcome is stated (crude)",
    "ci_low": "lower bound of the exact (Clopper-Pearson) interval of improved_pct, in percent",
    "ci_high": "upper bound of the exact (Clopper-Pearson) interval of improved_pct, in percent",
    "ci_level": "the confidence level of ci_low and ci_high, in percent (--level)",
    "improved_ci": "improved_pct and its exact interval, to read: 43.8 (19.8-70.1)",
}
