"""The document model's symbols and table notes, as every renderer shows them."""

from __future__ import annotations

import html5lib
from markdown_it import MarkdownIt

from calcinosis_cli import model
from calcinosis_cli.documents import blocks as r
from calcinosis_cli.render.document.html import render_report_html
from calcinosis_cli.render.document.markdown import render_report_markdown
from calcinosis_cli.render.document.terminal import report_renderable

TABLE = r.Table(
    (r.Column("Outcome"), r.Column("Certainty")),
    ((r.text("improved"), (r.Symbol("⊕◯◯◯", "very low"), r.TableNoteRef(0), r.TableNoteRef(1))),),
    (r.text("Rated down for risk of bias."), r.text("Rated down for imprecision.")),
)
REPORT = r.Report("T", model.Provenance("0", "1"), (TABLE,), (), ())


def test_note_letters_run_on_past_z():
    assert [r.note_letter(i) for i in (0, 1, 25, 26, 27)] == ["a", "b", "z", "aa", "ab"]


def test_markdown_shows_the_symbol_with_its_words_and_the_notes_under_the_table():
    text = render_report_markdown(REPORT)
    assert "| improved | ⊕◯◯◯ very low<sup>a</sup><sup>b</sup> |" in text
    tokens = MarkdownIt().enable("table").parse(text)
    after = [t.content for t in tokens if t.type == "inline" and "Rated down" in t.content]
    assert after == ["<sup>a</sup> Rated down for risk of bias.  \n<sup>b</sup> Rated down for imprecision."]


def test_html_hides_the_glyph_from_screen_readers_and_keeps_the_words():
    page = render_report_html(REPORT)
    document = html5lib.parse(page, namespaceHTMLElements=False)
    symbol = document.find(".//span[@class='symbol']")
    assert symbol.get("aria-hidden") == "true" and symbol.text == "⊕◯◯◯" and symbol.tail == " very low"
    notes = document.findall(".//div[@class='table-notes']/p")
    assert ["".join(p.itertext()) for p in notes] == ["a Rated down for risk of bias.", "b Rated down for imprecision."]


def test_the_terminal_preview_reads_the_words_and_the_notes():
    from rich.console import Console

    console = Console(width=80, record=True, color_system=None)
    console.print(report_renderable(REPORT, 80))
    shown = console.export_text()
    assert "⊕◯◯◯ very low(a)(b)" in shown
    assert "(a) Rated down for risk of bias." in shown and "(b) Rated down for imprecision." in shown
