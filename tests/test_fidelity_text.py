"""Every printed field of the dataset occurs word for word in the source paper."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from calcinosis_cli.dataset.load import load_dataset

FIXTURE = Path(__file__).parent / "fixtures" / "cukierman2004_text.txt"
SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seed" / "cukierman-2004-ann-rheum-dis.txt"


def squash(text: str) -> str:
    """Whitespace collapsed, and the paper's markup (bold, italics, <i>) dropped."""
    text = re.sub(r"</?i>|\*\*", "", text)
    return " ".join(text.split())


PAPER = squash(FIXTURE.read_text(encoding="utf-8"))
DS = load_dataset()


def test_fixture_is_the_papers_text():
    if not SEED.exists():
        pytest.skip("the source paper's text is not on this machine")
    assert SEED.read_text(encoding="utf-8").startswith(FIXTURE.read_text(encoding="utf-8"))


def printed_fields():
    for study in DS.studies:
        for name in ("treatment_printed", "diagnosis_printed", "outcome_printed", "dose", "phase"):
            value = getattr(study, name)
            if value is not None:
                yield f"{study.id}.{name}", value
    for case in DS.cases:
        for name in case._fields:
            value = getattr(case, name)
            if (name.endswith("_text") or name == "dose_printed") and value is not None:
                yield f"case{case.number}.{name}", value
    for footnote in DS.footnotes:
        yield f"footnote {footnote.marker}", footnote.text
    for ref in DS.references.values():
        if ref.number is not None:
            yield f"{ref.id}.title", ref.title
            for author in ref.authors:
                yield f"{ref.id}.author", author


@pytest.mark.parametrize(("where", "value"), list(printed_fields()), ids=lambda v: str(v)[:50])
def test_printed_value_occurs_in_the_paper(where, value):
    assert squash(value) in PAPER, f"{where} is not verbatim: {value!r}"


def test_the_check_would_catch_an_invented_value():
    assert squash("No change at follow up of 3 years") not in PAPER


# --- what notes and quirks quote ----------------------------------------------------------------

# Words in quotes that are the tool's, not the paper's: each note that quotes one says so.
TOOL_WORDS = {
    "open",  # "the source never says "open" or "uncontrolled""
    "uncontrolled",
    "uncontrolled trial phase",  # the design coding, marked as the tool's in the note
    "placebo-controlled trial",
}


def quoted_in_notes():
    texts = [(q.id, q.text) for q in DS.quirks]
    texts += [(s.id, n) for s in DS.studies for n in s.notes]
    texts += [(f"case{c.number}", n) for c in DS.cases for n in c.notes]
    texts += [(r.id, n) for r in DS.references.values() for n in r.notes]
    texts += [("dataset", n) for n in DS.notes]
    for where, text in texts:
        for quote in re.findall(r'"([^"]+)"', text):
            yield where, quote


@pytest.mark.parametrize(("where", "quote"), list(quoted_in_notes()), ids=lambda v: str(v)[:40])
def test_what_a_note_or_quirk_quotes_is_in_the_paper(where, quote):
    if quote.casefold() in TOOL_WORDS:
        return
    # "..." marks an omission; a quote may start a sentence with a capital.
    for part in (p.strip() for p in quote.split("...")):
        assert squash(part).casefold() in PAPER.casefold(), f"{where} quotes what the paper does not print: {part!r}"


ABSTRACT = squash((Path(__file__).parent / "fixtures" / "traineau2020_abstract.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize("entry", DS.later_evidence, ids=lambda e: e.id)
def test_a_quoted_later_statement_is_the_abstracts_own_words(entry):
    # Marked as a quotation, it is word for word (capitals included); an ellipsis marks a cut.
    assert entry.quoted and entry.quoted_from == "abstract, Results"
    for part in squash(entry.statement).split("…"):
        if part.strip():
            assert part.strip() in ABSTRACT, f"{entry.id} is not verbatim: {part!r}"


def test_the_cases_record_origin_and_prior_treatments_as_printed():
    origins = {c.number: (c.patient_origin, c.patient_origin_text) for c in DS.cases}
    assert origins == {1: ("Arab", "of Arab origin"), 2: ("Arab", "of Arab origin"), 3: ("Jewish", "of Jewish origin")}
    prior = {c.number: c.prior_treatments for c in DS.cases}
    # "Oral calcium channel blockers" and "prostacyclin analogue" name classes, not drugs.
    assert prior == {
        1: ("penicillamine", "calcium channel blocker", "prostacyclin analogue"),
        2: ("prostacyclin analogue",),
        3: ("penicillamine", "colchicine"),
    }
    assert DS.treatments["diltiazem"].treatment_class == "calcium channel blocker"
