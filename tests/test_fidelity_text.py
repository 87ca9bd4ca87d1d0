"""Every printed field of the dataset occurs word for word in the source paper."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from calcinosis_cli.load import load_dataset

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
