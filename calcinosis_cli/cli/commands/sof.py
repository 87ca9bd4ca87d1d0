"""`calcinosis sof`: the Summary of Findings of the certainty entries (GRADE) in the data files."""

from __future__ import annotations

import click

from ...errors import UsageError
from ..options import check_date, filter_options, filters_from, global_options, level_option, output_options, today
from ..output import RowOutput
from ..session import current_session

# Formats that write the Summary of Findings as a document (the report model), not as rows.
DOCUMENT_FORMATS = ("markdown", "html", "docx")


@click.command("sof")
@filter_options
@output_options
@click.option(
    "--output",
    "-o",
    "output_file",
    metavar="FILE",
    help="Write to FILE (atomically) instead of stdout (docx goes to a file, or to stdout that is not a terminal).",
)
@click.option("--force", is_flag=True, help="Replace --output FILE if it exists.")
@click.option(
    "--pooled",
    is_flag=True,
    help="Show beside each 'improved' entry the random-effects pooled share of its scope (REML, logit, as "
    "'calcinosis pool' computes it) and its I². Needs calcinosis[stats]. The crude effect stays.",
)
@click.option(
    "--date",
    "date",
    metavar="YYYY-MM-DD",
    callback=check_date,
    help="Date for the provenance line of markdown, html and docx (default: today, or SOURCE_DATE_EPOCH).",
)
@level_option
@global_options
@click.pass_context
def sof_command(
    ctx: click.Context,
    output: RowOutput,
    output_file: str | None,
    force: bool,
    date: str | None,
    pooled: bool,
    level: int,
    **kwargs,
) -> None:
    """The Summary of Findings: one row per certainty entry of the data files (a 'certainty:'
    section), with participants (studies), the crude effect (counts, percent and exact
    interval), the certainty as GRADE's symbols and words, and comments. Each reason that moved
    a level is a lettered note under the table.

    The ratings are the reviewer's, as written in the file; calcinosis does GRADE's arithmetic
    and shows the evidence in each entry's scope, and decides nothing. Takes the filters of
    'list': an entry is shown when its scope holds a selected row; its evidence is its whole
    scope. table (a terminal), plain (a pipe), csv, tsv, json, jsonl and tabulate formats give
    rows; markdown, html and docx a document with the certainty of each outcome in full."""
    from ...certainty.findings import MAX_OUTCOMES, TOO_MANY, entries_for, findings_with_evidence
    from ...documents.summary_of_findings import HUMAN_SOF_COLUMNS, SOF_RECORD_COLUMNS, finding_rows
    from ..output import print_columns, refuse_existing, rich_terminal, stdout_is_terminal

    fmt = output.fmt or ("table" if rich_terminal() and not output_file else "plain")
    if output.list_columns:
        print_columns(SOF_RECORD_COLUMNS, HUMAN_SOF_COLUMNS)
        return
    if fmt == "docx" and not output_file and stdout_is_terminal():
        raise UsageError("--format docx writes a Word file: give --output FILE (or redirect stdout to a file)")
    if fmt == "table" and output_file:
        raise UsageError("--format table is for a terminal; write plain, markdown, html, docx or csv to --output")
    if output_file is not None:
        refuse_existing(output_file, force)
    filters = filters_from(kwargs)
    session = current_session(ctx)
    ds = session.dataset()
    found = findings_with_evidence(ds, entries_for(ds, session.studies(filters)), level, pooled)
    if fmt in DOCUMENT_FORMATS:
        from ...documents.summary_of_findings import build_sof_report
        from ..output import write_document

        report = build_sof_report(ds, found, session.provenance(date or today()))
        write_document(report, fmt, output_file, force)
        return
    from ...analysis.rows import machine_columns, shape_rows
    from ...render import MACHINE_FORMATS

    machine = fmt in MACHINE_FORMATS
    records = finding_rows(found)
    notes = [note for row in records for note in row["footnotes"]]  # type: ignore[attr-defined]
    rows, names = shape_rows(
        records,
        SOF_RECORD_COLUMNS,
        machine_columns(SOF_RECORD_COLUMNS) if machine else HUMAN_SOF_COLUMNS,
        columns=output.columns,
        sort_key=output.sort_key,
        reverse=output.reverse,
        limit=output.limit,
    )
    below = list(notes)
    if len(found) > MAX_OUTCOMES:
        below.append(TOO_MANY.format(count=len(found), most=MAX_OUTCOMES))
    if not found:
        below.append("No certainty entries match (a data file's 'certainty:' section holds them).")
    _write_rows(rows, names, fmt, output, output_file, force, [] if machine else below)
    if machine and len(found) > MAX_OUTCOMES and not session.quiet:
        click.echo(f"calcinosis: note: {TOO_MANY.format(count=len(found), most=MAX_OUTCOMES)}", err=True)


# The shared --format's help, told of this command's documents.
for _param in sof_command.params:
    if _param.name == "fmt":
        _param.help = (
            "table (default on a terminal), plain (default in a pipe), csv, tsv, json, jsonl or any tabulate format "
            "(rows and their notes); markdown, html or docx (a document: the table, its notes and the certainty of "
            "each outcome in full; docx needs calcinosis[docx])."
        )


def _write_rows(rows, names, fmt: str, output: RowOutput, output_file: str | None, force: bool, below) -> None:
    from ...render import render_rows
    from ..output import echo_text, print_renderable, terminal_width, write_file

    if fmt == "table":
        from rich.console import Group
        from rich.text import Text

        from ...render.cells import visible
        from ...render.terminal import rows_renderable

        table = rows_renderable(terminal_width(), rows, names, "Summary of findings (the reviewer's ratings)")
        print_renderable(Group(table, *(Text(visible(line)) for line in below)))
        return
    text = render_rows(rows, names, fmt, guard_formulas=output.guard_formulas)
    if below:
        text = text.rstrip("\n") + "\n\n" + "\n".join(below) + "\n"
    if output_file is not None:
        write_file(output_file, text.encode("utf-8"), force)
    else:
        echo_text(text, fmt)
