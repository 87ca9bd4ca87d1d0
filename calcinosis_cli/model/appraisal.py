"""Appraisal records: tools for the risk of bias of case series and case reports (their items,
answer sets and citations) and the reviewers' appraisals of studies. Plain immutable records,
no I/O. The tools the program knows are data in calcinosis_cli/appraisal/tools.py; a data file
may declare others under ``tools:``.

The tool never turns answers into a score or an overall judgement: ``overall`` is the
reviewer's own, entered by the reviewer.
"""

from typing import NamedTuple

# The answer set of the built-in tools (Murad 2018 and the JBI checklists), in display order.
ANSWERS = ("yes", "no", "unclear", "not applicable")
# What a reviewer may type for each answer at the terminal or in a sheet.
ANSWER_ALIASES = {"y": "yes", "n": "no", "u": "unclear", "na": "not applicable", "n/a": "not applicable"}
# The reviewer's overall judgement (our vocabulary: the tools define none).
OVERALL = ("low", "moderate", "high", "unclear")
# The reviewer name of the settled record of two reviewers.
CONSENSUS = "consensus"


class ToolItem(NamedTuple):
    """One item of a tool: its number as published, its domain and its question."""

    number: int
    question: str
    domain: str | None = None  # None where the tool groups its items into no domains (JBI)


class AppraisalTool(NamedTuple):
    """A checklist: its items, its answer set and its citation."""

    id: str
    name: str
    citation: str
    items: tuple[ToolItem, ...]
    answers: tuple[str, ...] = ANSWERS
    notes: tuple[str, ...] = ()
    origin: str = ""  # "calcinosis" for the built-in tools, else the file that declares it


class Answer(NamedTuple):
    """The answer to one item, with the quote or reason that supports it."""

    item: int
    answer: str
    support: str | None = None


class Appraisal(NamedTuple):
    """One reviewer's appraisal of one study with one tool."""

    study: str  # Study.id
    tool: str  # AppraisalTool.id
    reviewer: str
    date: str
    answers: tuple[Answer, ...]
    overall: str | None = None
    overall_reason: str | None = None
    notes: tuple[str, ...] = ()
    origin: str = ""  # file:line the record was read from

    def answer(self, item: int) -> Answer | None:
        for answer in self.answers:
            if answer.item == item:
                return answer
        return None
