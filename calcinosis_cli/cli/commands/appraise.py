"""`calcinosis appraise STUDY`: enter one appraisal at the terminal, question by question, and
write it into the user's data file. Ctrl-C writes nothing."""

from __future__ import annotations

import click

from ..options import global_options
from ..output import echo_text, print_renderable, rich_terminal
from ..session import current_session

BACK = ("b", "back")


@click.command("appraise")
@click.argument("study_id", metavar="STUDY")
@click.option("--tool", "tool_id", default="murad2018", show_default=True, metavar="TOOL", help="The appraisal tool.")
@click.option("--reviewer", required=True, metavar="INITIALS", help="Your initials (or 'consensus').")
@click.option("--output", "-o", required=True, metavar="FILE", help="The YAML data file to write the entry into.")
@click.option("--date", "date", metavar="YYYY-MM-DD", help="The appraisal's date (default: today).")
@click.option("--force", is_flag=True, help="Replace an entry of the same study, tool and reviewer.")
@global_options
@click.pass_context
def appraise_command(
    ctx: click.Context, study_id: str, tool_id: str, reviewer: str, output: str, date: str | None, force: bool
) -> None:
    """Appraise STUDY with a tool: the study is shown in full first (as 'show' shows it), then
    each question; answer y (yes), n (no), u (unclear) or na (not applicable), add a reason or
    quote if you wish, and type b to go back one question. The entry is written atomically
    into FILE, keeping what FILE holds; an entry of the same study, tool and reviewer is
    replaced only with --force. Ctrl-C writes nothing.

    The answers and the overall judgement are yours: the tool computes no score."""
    import datetime
    import os

    from ... import model
    from ...analysis.study_detail import find_study, study_detail
    from ...appraisal.tools import tool_named
    from ...errors import UsageError
    from ...exchange.appraisal_file import with_appraisal
    from ..output import write_file

    reviewer = reviewer.strip()
    if not reviewer or any(c in reviewer for c in "\n\r\t"):
        raise UsageError("--reviewer: give your initials")
    if date is None:
        date = datetime.date.today().isoformat()
    else:
        try:
            datetime.date.fromisoformat(date)
        except ValueError:
            raise UsageError(f"--date {date!r} is not a date of the form YYYY-MM-DD") from None
    if output == "-":
        raise UsageError("--output: give the data file to write the appraisal into, not '-'")
    if os.path.isdir(output):
        raise UsageError(f"cannot write {output}: it is a folder")
    folder = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(folder):
        raise UsageError(f"cannot write {output}: the folder {folder} does not exist")
    ds = current_session(ctx).dataset()
    study = find_study(ds, study_id)
    tool = tool_named(ds, tool_id)
    before = _read(output)
    probe = model.Appraisal(study.id, tool.id, reviewer, date, ())
    with_appraisal(output, before, probe, replace=force)  # refuses an existing entry before any question
    detail = study_detail(ds, study)
    if rich_terminal():
        from ...render.study import detail_panel

        print_renderable(detail_panel(detail))
    else:
        from ...render.study import render_detail_markdown

        echo_text(render_detail_markdown(detail), "markdown")
    answers = _ask_items(tool)
    overall = _ask_choice("Your overall judgement", model.OVERALL, allow_empty=True)
    reason = click.prompt("Reason for it (Enter for none)", default="", show_default=False).strip() if overall else ""
    entry = model.Appraisal(study.id, tool.id, reviewer, date, tuple(answers), overall or None, reason or None)
    data = with_appraisal(output, before, entry, replace=force)
    if _read(output) != before:
        raise UsageError(f"{output} changed while you answered; nothing written (run appraise again)")
    write_file(output, data, force=before is not None)
    click.echo(f"Wrote the appraisal of {study.id} with {tool.id} by {reviewer} to {output}.", err=True)


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _ask_items(tool) -> list:
    from ... import model

    answers: list = [None] * len(tool.items)
    index = 0
    choices = "/".join(k for k, v in model.ANSWER_ALIASES.items() if k != "n/a")
    while index < len(tool.items):
        item = tool.items[index]
        domain = f" [{item.domain}]" if item.domain else ""
        click.echo(f"\nItem {item.number} of {len(tool.items)}{domain}: {item.question}")
        typed = click.prompt(f"Answer ({choices}; b: back)", default="", show_default=False).strip().casefold()
        if typed in BACK:
            if index == 0:
                click.echo("This is the first question.")
            index = max(0, index - 1)
            continue
        answer = model.ANSWER_ALIASES.get(typed, typed)
        if answer not in tool.answers:
            click.echo(f"Please answer {choices} (or one of: {', '.join(tool.answers)}).")
            continue
        support = click.prompt("Reason or quote (Enter for none)", default="", show_default=False).strip()
        answers[index] = model.Answer(item.number, answer, support or None)
        index += 1
    return answers


def _ask_choice(question: str, choices, allow_empty: bool) -> str:
    while True:
        typed = click.prompt(f"\n{question} ({', '.join(choices)}; Enter for none)", default="", show_default=False)
        typed = typed.strip().casefold()
        if typed in choices or (allow_empty and not typed):
            return typed
        click.echo(f"Please type one of: {', '.join(choices)}.")
