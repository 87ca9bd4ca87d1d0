"""How each answer and overall judgement is shown: its robvis level (which picks the colour),
its robvis symbol and its words, which every symbol carries for readers who cannot see it
(figures, tables and the report use this one table)."""

from __future__ import annotations

# An answer -> (robvis level, symbol, words). Not applicable has no symbol in robvis; its words stand in.
ANSWER_LOOK = {
    "yes": ("low", "+", "yes (low)"),
    "no": ("high", "x", "no (high)"),
    "unclear": ("concerns", "−", "unclear"),
    "not applicable": ("na", " ", "not applicable"),
    None: ("ni", "?", "no answer"),
}
OVERALL_LOOK = {
    "low": ("low", "+", "low"),
    "moderate": ("concerns", "−", "moderate"),
    "high": ("high", "x", "high"),
    "unclear": ("ni", "?", "unclear"),
    None: ("na", " ", "no overall judgement"),
}


def look(answer: str | None) -> tuple[str, str, str]:
    """An item answer's (level, symbol, words); answers of a tool of one's own outside the four
    are drawn as 'no information' with their own words."""
    return ANSWER_LOOK.get(answer, ("ni", "?", str(answer)))
