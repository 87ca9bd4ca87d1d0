"""GRADE's arithmetic on a reviewer's ratings: start where the reviewer says, subtract the
levels rated down, add those rated up, and hold the result between very low and high. The
ratings are the reviewer's; this only counts them."""

from __future__ import annotations

from typing import NamedTuple

from ..model.certainty import DOWN_REASONS, LEVELS, UP_REASONS, Certainty

# GRADE's symbols: one filled circle per level (⊕), the rest empty (◯).
FILLED, EMPTY = "⊕", "◯"


class Step(NamedTuple):
    """One reason that moved the level: its key, its words, the change and the reason as written."""

    key: str
    words: str
    change: int
    reason: str

    def sentence(self) -> str:
        """'Risk of bias, rated down 1 level: <the reason as written>'."""
        way = "down" if self.change < 0 else "up"
        levels = "1 level" if abs(self.change) == 1 else f"{abs(self.change)} levels"
        return f"{self.words[:1].upper()}{self.words[1:]}, rated {way} {levels}: {self.reason}"


def steps(entry: Certainty) -> list[Step]:
    """The reasons that changed the level, in GRADE's order (down first, then up)."""
    out = []
    for judgements, words in ((entry.rated_down, DOWN_REASONS), (entry.rated_up, UP_REASONS)):
        for key, judgement in judgements._asdict().items():
            if judgement.change:
                out.append(Step(key, words[key], judgement.change, judgement.reason or ""))
    return out


def unclamped(entry: Certainty) -> int:
    """The start's rank plus every change (may fall outside the scale)."""
    return LEVELS.index(entry.start) + sum(step.change for step in steps(entry))


def level(entry: Certainty) -> str:
    """The certainty the ratings come to: high, moderate, low or very low."""
    return LEVELS[min(max(unclamped(entry), 0), len(LEVELS) - 1)]


def held(entry: Certainty) -> str | None:
    """Why the scale held the arithmetic, when it did ("rated below very low: held at very low")."""
    rank, top = unclamped(entry), len(LEVELS) - 1
    if rank < 0:
        return f"the ratings come to {_levels(-rank)} below very low; certainty is held at very low"
    if rank > top:
        return f"the ratings come to {_levels(rank - top)} above high; certainty is held at high"
    return None


def _levels(count: int) -> str:
    return "1 level" if count == 1 else f"{count} levels"


def symbols(level_name: str) -> str:
    """GRADE's circles for a level: ⊕⊕⊕⊕ high ... ⊕◯◯◯ very low."""
    filled = LEVELS.index(level_name) + 1
    return FILLED * filled + EMPTY * (len(LEVELS) - filled)
