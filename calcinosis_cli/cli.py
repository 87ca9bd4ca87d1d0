"""The command line: parse options, call load -> query -> render, print. Nothing else."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

import click

from . import __version__

DISCLAIMER = "calcinosis tabulates published literature. It gives no medical advice."

EXIT_DATA = 1
EXIT_USAGE = 2


class CalcinosisError(click.ClickException):
    """An error the user can fix, printed as one line with our exit codes."""

    def __init__(self, message: str, exit_code: int = EXIT_DATA):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(f"calcinosis: error: {self.format_message()}", err=True)


# --- shell completion ---------------------------------------------------------------------
# A TAB press runs the program: completions read the dataset through the cache (no YAML
# parsing after the first run) and import tabulate only when --format is completed.


def _completion_dataset(ctx: click.Context):
    from .cache import load_dataset_cached
    from .datafiles import bundled_paths

    root = ctx.find_root()
    data = root.params.get("data") or ()
    paths = ([] if root.params.get("no_bundled") else bundled_paths()) + list(data)
    try:
        return load_dataset_cached(paths)
    except Exception:  # noqa: BLE001 - a completion must never print a traceback
        return None


def _matching(names, incomplete: str) -> list:
    from click.shell_completion import CompletionItem

    prefix = incomplete.casefold()
    return [CompletionItem(n) for n in dict.fromkeys(names) if n.casefold().startswith(prefix)]


def complete_treatment(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    ds = _completion_dataset(ctx)
    if ds is None:
        return []
    names = [t.id for t in ds.treatments.values()] + [t.treatment_class for t in ds.treatments.values()]
    names += [a for t in ds.treatments.values() for a in t.aliases]
    return _matching(names, incomplete)


def complete_diagnosis(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    ds = _completion_dataset(ctx)
    if ds is None:
        return []
    return _matching(
        [d.id for d in ds.diagnoses.values()] + [a for d in ds.diagnoses.values() for a in d.aliases], incomplete
    )


def complete_format(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    from .render import all_formats

    return _matching(all_formats(), incomplete)


# --- shared options -------------------------------------------------------------------------


def filter_options(func: Callable) -> Callable:
    """The filters shared by every command that selects studies."""
    options = [
        click.option(
            "--treatment",
            "-t",
            "treatments",
            multiple=True,
            metavar="NAME",
            shell_complete=complete_treatment,
            help="Treatment name, class or alias, any case (repeat to OR): warfarin, bisphosphonate, coumadin.",
        ),
        click.option(
            "--diagnosis",
            "-d",
            "diagnoses",
            multiple=True,
            metavar="TERM",
            shell_complete=complete_diagnosis,
            help="Normalised or printed diagnosis; a term also finds narrower ones (repeat to OR).",
        ),
        click.option(
            "--outcome",
            "outcomes",
            multiple=True,
            metavar="OUTCOME",
            help="Rows with at least one patient improved, unchanged, worsened or not_stated (repeat to OR).",
        ),
        click.option(
            "--design",
            "designs",
            multiple=True,
            metavar="DESIGN",
            help="case report, case series, open trial phase or placebo-controlled trial (repeat to OR).",
        ),
        click.option("--min-n", type=click.IntRange(min=0), help="At least this many patients."),
        click.option("--max-n", type=click.IntRange(min=0), help="At most this many patients."),
        click.option("--year-from", type=int, help="Published in or after this year."),
        click.option("--year-to", type=int, help="Published in or before this year."),
        click.option(
            "--author", "authors", multiple=True, metavar="TEXT", help="Author name contains TEXT (repeat to OR)."
        ),
        click.option(
            "--search",
            "search",
            multiple=True,
            metavar="TEXT",
            help="Any text field contains TEXT, any case (repeat to OR).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def output_options(func: Callable) -> Callable:
    """The output options shared by every command that prints rows."""
    options = [
        click.option(
            "--format",
            "-f",
            "fmt",
            metavar="FORMAT",
            shell_complete=complete_format,
            help="table (default on a terminal), plain (default in a pipe), markdown, csv, tsv, json, "
            "jsonl, or any tabulate format (see 'calcinosis formats').",
        ),
        click.option("--columns", "-c", metavar="A,B,C", help="Columns to show, comma-separated, or 'all'."),
        click.option("--list-columns", is_flag=True, help="List the column names with their meaning, and exit."),
        click.option("--sort", "sort_key", metavar="COLUMN", help="Sort by this column (empty values last)."),
        click.option("--reverse", is_flag=True, help="Reverse the order."),
        click.option("--limit", type=click.IntRange(min=0), help="Show at most this many rows."),
        click.option(
            "--guard-formulas",
            is_flag=True,
            help="In csv/tsv, prefix cells starting with = + - @ with ' so spreadsheets do not run them.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _filters(kwargs: dict):
    from .query import Filters

    return Filters(
        treatments=kwargs.pop("treatments"),
        diagnoses=kwargs.pop("diagnoses"),
        outcomes=kwargs.pop("outcomes"),
        designs=kwargs.pop("designs"),
        min_n=kwargs.pop("min_n"),
        max_n=kwargs.pop("max_n"),
        year_from=kwargs.pop("year_from"),
        year_to=kwargs.pop("year_to"),
        authors=kwargs.pop("authors"),
        search=kwargs.pop("search"),
    )


def _load(ctx: click.Context):
    from .cache import load_dataset_cached
    from .datafiles import bundled_paths

    state = ctx.find_root().obj or {}
    paths = [] if state.get("no_bundled") else bundled_paths()
    paths += list(state.get("data", ()))
    if not paths:
        raise CalcinosisError("no data: --no-bundled needs at least one --data file", EXIT_USAGE)
    try:
        return load_dataset_cached(paths)
    except Exception as err:
        from .load import DataError

        if isinstance(err, DataError):
            raise CalcinosisError(str(err), EXIT_DATA) from err
        raise


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _wants_color() -> bool | None:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return None


def _stdout_encoding() -> str:
    """The encoding click.echo will really use: click writes UTF-8 where stdout claims ASCII."""
    from click._compat import get_best_encoding

    return get_best_encoding(sys.stdout).lower()


def _can_encode(text: str) -> str | None:
    """None if stdout's encoding can carry ``text``, else the first character it cannot."""
    try:
        text.encode(_stdout_encoding())
    except UnicodeEncodeError as err:
        return text[err.start]
    return None


def echo_text(text: str, fmt: str) -> None:
    """Write rendered output, coping with a narrow output encoding (PYTHONIOENCODING=ascii).

    JSON switches to \\u escapes (lossless); csv and tsv stop with a message rather than
    alter data; human-readable formats show unencodable characters as backslash escapes.
    """
    bad = _can_encode(text)
    if bad is not None:
        if fmt in ("json", "jsonl"):
            import json

            if fmt == "json":
                text = json.dumps(json.loads(text), ensure_ascii=True, indent=2) + "\n"
            else:
                text = "".join(json.dumps(json.loads(line), ensure_ascii=True) + "\n" for line in text.splitlines())
        elif fmt in ("csv", "tsv"):
            raise CalcinosisError(
                f"cannot write {fmt}: the output encoding ({_stdout_encoding()}) has no {bad!r}; "
                "set PYTHONIOENCODING=utf-8 (or use --format json, which escapes it)",
                EXIT_DATA,
            )
        else:
            _tolerant_stdout()
    click.echo(text, nl=False)


def _tolerant_stdout() -> None:
    """Show characters the output encoding lacks as backslash escapes instead of failing."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="backslashreplace")


def emit_rows(rows, columns, fmt: str | None, guard_formulas: bool = False, title: str | None = None) -> None:
    """Print rows: a rich table on a terminal, text in every other case."""
    from .render import FormatError, render_rows

    terminal = _stdout_is_terminal()
    color = _wants_color()
    fmt = fmt or ("table" if terminal and os.environ.get("TERM") != "dumb" else "plain")
    if fmt == "table" and (terminal or color) and os.environ.get("TERM") != "dumb":
        from .render.terminal import make_console, rows_renderable

        _tolerant_stdout()
        console = make_console(color=color)
        console.print(rows_renderable(console, rows, columns, title))
        return
    try:
        text = render_rows(rows, columns, fmt, guard_formulas=guard_formulas)
    except FormatError as err:
        raise CalcinosisError(str(err), EXIT_USAGE) from err
    echo_text(text, fmt)


def _print_columns(columns: dict[str, str], default) -> None:
    width = max(map(len, columns))
    for name, meaning in columns.items():
        mark = "*" if name in default else " "
        click.echo(f"{mark} {name:<{width}}  {meaning}")
    click.echo("(* shown by default in table, plain and markdown; csv, tsv, json and jsonl show all)")


def _usage(func: Callable, *args, **kwargs):
    """Call ``func``; turn a QueryError (bad filter, column or id) into a usage error."""
    from .query import QueryError

    try:
        return func(*args, **kwargs)
    except (QueryError, ValueError) as err:
        raise CalcinosisError(str(err), EXIT_USAGE) from err


# --- commands -------------------------------------------------------------------------------


@click.group(
    help=f"""Tabulate the published evidence on treatments for calcinosis cutis in systemic
sclerosis and dermatomyositis (Cukierman et al, Ann Rheum Dis 2004, Table 1 and case reports).

{DISCLAIMER}

Exit codes: 0 success, 1 data or validation error, 2 usage error.""",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", "-V", prog_name="calcinosis")
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(dir_okay=False),
    metavar="PATH",
    envvar="CALCINOSIS_DATA",
    show_envvar=True,
    help="Also load this dataset file (repeatable; in CALCINOSIS_DATA, separate paths with ':').",
)
@click.option("--no-bundled", is_flag=True, help="Use only the --data files, not the bundled dataset.")
@click.option("--debug", is_flag=True, help="Show Python tracebacks (for bug reports).")
@click.pass_context
def cli(ctx: click.Context, data: tuple[str, ...], no_bundled: bool, debug: bool) -> None:
    ctx.obj = {"data": data, "no_bundled": no_bundled, "debug": debug}


def later_option(func: Callable) -> Callable:
    return click.option(
        "--no-later-evidence", "no_later", is_flag=True, help="Hide the marks and statements of later reviews."
    )(func)


@cli.command("list")
@filter_options
@output_options
@later_option
@click.pass_context
def list_command(
    ctx: click.Context, fmt, columns, list_columns, sort_key, reverse, limit, guard_formulas, no_later, **kwargs
) -> None:
    """List the studies (Table 1 rows and the paper's own series) that match every filter.

    Filters on different fields must all match; a filter given twice matches either value.
    Valid filters that match nothing print an empty table and exit 0.
    """
    from .query import (
        COLUMNS,
        DEFAULT_COLUMNS,
        LATER_COLUMNS,
        QueryError,
        parse_columns,
        sort_rows,
        studies_matching,
        study_row,
    )
    from .render import MACHINE_FORMATS

    if list_columns:
        _print_columns(COLUMNS, DEFAULT_COLUMNS)
        return
    filters = _filters(kwargs)
    ds = _load(ctx)
    try:
        default = tuple(COLUMNS) if fmt in MACHINE_FORMATS else DEFAULT_COLUMNS
        names = parse_columns(columns, default)
        if no_later:
            names = [n for n in names if n not in LATER_COLUMNS]
        rows = [study_row(ds, s) for s in studies_matching(ds, filters)]
        rows = sort_rows(rows, sort_key, reverse)
    except QueryError as err:
        raise CalcinosisError(str(err), EXIT_USAGE) from err
    if limit is not None:
        rows = rows[:limit]
    emit_rows(rows, names, fmt, guard_formulas)


@cli.command("group")
@click.option(
    "--by",
    "by",
    required=True,
    metavar="FIELD",
    type=click.Choice(["treatment", "class", "diagnosis", "design", "level", "outcome", "decade", "reference"]),
    help="treatment, class, diagnosis, design, level, outcome, decade or reference.",
)
@filter_options
@output_options
@later_option
@click.pass_context
def group_command(
    ctx: click.Context, by, fmt, columns, list_columns, sort_key, reverse, limit, guard_formulas, no_later, **kwargs
) -> None:
    """Crude tally per group: studies, patients, and patients improved, unchanged, worsened or
    not stated, with the share improved among those whose outcome is stated.

    This is a crude count of what the sources print, not a meta-analysis. Rows with two
    diagnoses whose split is not stated form their own diagnosis group. Table and Markdown
    output end with a total row; json gives one object per group.
    """
    from .group import GROUP_COLUMNS, group_sort_key, group_studies, total_row
    from .query import parse_columns, sort_rows, studies_matching
    from .render import MACHINE_FORMATS

    if list_columns:
        _print_columns(GROUP_COLUMNS, GROUP_COLUMNS)
        return
    filters = _filters(kwargs)
    ds = _load(ctx)
    studies = _usage(studies_matching, ds, filters)
    default = [c for c in GROUP_COLUMNS if not (no_later and c == "later")]
    names = _usage(parse_columns, columns, default, GROUP_COLUMNS)
    rows = sorted(group_studies(ds, studies, by), key=group_sort_key(by))
    if sort_key is not None or reverse:
        rows = _usage(sort_rows, rows, sort_key or "group", reverse, GROUP_COLUMNS)
        if sort_key in (None, "group"):
            rows = sorted(rows, key=group_sort_key(by), reverse=reverse)
    if limit is not None:
        rows = rows[:limit]
    if (fmt or "") not in MACHINE_FORMATS and rows:
        rows = rows + [total_row(rows, by)]
    emit_rows(rows, names, fmt, guard_formulas, title=f"Crude tally by {by} (not a meta-analysis)")


@cli.command("show")
@click.argument("study_id", metavar="ID")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["panel", "markdown", "json"]),
    help="panel (default on a terminal), markdown (default in a pipe) or json.",
)
@later_option
@click.pass_context
def show_command(ctx: click.Context, study_id: str, fmt: str | None, no_later: bool) -> None:
    """One study in full: printed and structured fields, footnote, notes, quirks, cases,
    full citation, level of evidence and later evidence. IDs come from 'list --columns id'."""
    from .detail import find_study, study_detail

    ds = _load(ctx)
    study = _usage(find_study, ds, study_id)
    detail = study_detail(ds, study, later=not no_later)
    fmt = fmt or ("panel" if _stdout_is_terminal() and os.environ.get("TERM") != "dumb" else "markdown")
    if fmt == "json":
        import json

        echo_text(json.dumps(detail, ensure_ascii=False, indent=2) + "\n", "json")
    elif fmt == "markdown":
        from .render.detail import render_detail_markdown

        echo_text(render_detail_markdown(detail), "markdown")
    else:
        from .render.detail import detail_panel
        from .render.terminal import make_console

        _tolerant_stdout()
        make_console(color=_wants_color()).print(detail_panel(detail))


@cli.command("cite")
@filter_options
@click.option(
    "--style",
    "-s",
    default="vancouver",
    show_default=True,
    type=click.Choice(["vancouver", "bibtex", "ris", "csl-json"]),
    help="Citation format.",
)
@click.pass_context
def cite_command(ctx: click.Context, style: str, **kwargs) -> None:
    """The references of the selected studies, once each, in citation-manager formats.

    Keys are stable (berger1987). Takes the same filters as 'list'.
    """
    from .query import studies_matching
    from .render.citations import render_citations

    filters = _filters(kwargs)
    ds = _load(ctx)
    studies = _usage(studies_matching, ds, filters)
    ref_ids = list(dict.fromkeys(s.reference for s in studies))
    refs = [ds.references[r] for r in ref_ids if r in ds.references]
    if refs:
        echo_text(
            render_citations(refs, style),
            "json" if style == "csl-json" else "csv" if style in ("bibtex", "ris") else "plain",
        )
    elif style == "csl-json":
        click.echo("[]")


@cli.command("report")
@filter_options
@later_option
@click.option(
    "--date",
    "date",
    metavar="YYYY-MM-DD",
    help="Date for the provenance line (default: today, or SOURCE_DATE_EPOCH if set).",
)
@click.pass_context
def report_command(ctx: click.Context, no_later: bool, date: str | None, **kwargs) -> None:
    """A Markdown evidence summary to paste into a review: provenance, a section per
    treatment with rows, tallies, footnotes and numbered references, the paper's own
    observation on who responded, and a scope statement. Takes the same filters as 'list'."""
    from . import __version__ as tool_version
    from .query import studies_matching
    from .render.report import Provenance, render_report

    filters = _filters(kwargs)
    ds = _load(ctx)
    studies = _usage(studies_matching, ds, filters)
    command = " ".join(
        part for part in ("calcinosis report", filters.describe(), "--no-later-evidence" if no_later else "") if part
    )
    provenance = Provenance(tool_version, ds.version, command, date or _today())
    echo_text(render_report(ds, studies, provenance, later=not no_later), "markdown")


def _today() -> str:
    import datetime

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date().isoformat()
    return datetime.date.today().isoformat()


@cli.command("cases")
@click.option(
    "--response",
    "responses",
    multiple=True,
    metavar="RESPONSE",
    help="complete resolution or no change (repeat to OR).",
)
@click.option("--subtype", "subtypes", multiple=True, metavar="SUBTYPE", help="limited cutaneous or diffuse cutaneous.")
@click.option("--max-lesion-cm", type=click.FloatRange(min=0), help="Largest lesion at most this many cm.")
@click.option("--min-lesion-cm", type=click.FloatRange(min=0), help="Largest lesion at least this many cm.")
@click.option("--min-age", type=click.IntRange(min=0), help="At least this age in years.")
@click.option("--max-age", type=click.IntRange(min=0), help="At most this age in years.")
@output_options
@click.pass_context
def cases_command(
    ctx: click.Context,
    responses,
    subtypes,
    max_lesion_cm,
    min_lesion_cm,
    min_age,
    max_age,
    fmt,
    columns,
    list_columns,
    sort_key,
    reverse,
    limit,
    guard_formulas,
) -> None:
    """The patient-level records of the source paper's three case reports."""
    from .detail import CASE_COLUMNS, DEFAULT_CASE_COLUMNS, case_row, cases_matching
    from .query import parse_columns, sort_rows
    from .render import MACHINE_FORMATS

    if list_columns:
        _print_columns(CASE_COLUMNS, DEFAULT_CASE_COLUMNS)
        return
    ds = _load(ctx)
    cases = _usage(cases_matching, ds, responses, max_lesion_cm, min_lesion_cm, subtypes, min_age, max_age)
    default = CASE_COLUMNS if fmt in MACHINE_FORMATS else DEFAULT_CASE_COLUMNS
    names = _usage(parse_columns, columns, default, CASE_COLUMNS)
    rows = _usage(sort_rows, [case_row(c) for c in cases], sort_key, reverse, CASE_COLUMNS)
    if limit is not None:
        rows = rows[:limit]
    emit_rows(rows, names, fmt, guard_formulas)


@cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False))
@click.pass_context
def validate_command(ctx: click.Context, paths: tuple[str, ...]) -> None:
    """Check dataset files and report every problem, one per line as file:line:column: message.

    PATHS are checked together with the bundled dataset (so they may cite its references
    and terms) unless --no-bundled is given; with no PATHS, the --data files and the
    bundled dataset are checked. Exit 0 and a one-line summary when clean, 1 otherwise.
    """
    from .datafiles import bundled_paths
    from .load import check_files

    state = ctx.find_root().obj or {}
    own = list(paths) or list(state.get("data", ()))
    files = ([] if state.get("no_bundled") else bundled_paths()) + own
    if not files:
        raise CalcinosisError("nothing to validate: give a PATH or drop --no-bundled", EXIT_USAGE)
    merged, problems = check_files(files)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        click.echo(f"calcinosis: {len(problems)} {noun} in {len(files)} file(s)", err=True)
        ctx.exit(EXIT_DATA)
    studies = len(merged["studies"]) if merged else 0
    refs = len(merged["references"]) if merged else 0
    click.echo(f"ok: {len(files)} file(s), {studies} studies, {refs} references, no problems")


@cli.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the dataset format (for editors that check YAML as you type)."""
    import json

    from .schema import dataset_schema

    click.echo(json.dumps(dataset_schema(), indent=2, ensure_ascii=False))


@cli.command("terms")
@click.argument("kind", type=click.Choice(["treatment", "diagnosis", "outcome", "design", "class"]))
@click.pass_context
def terms_command(ctx: click.Context, kind: str) -> None:
    """List the terms a filter accepts, with aliases (treatment, diagnosis, outcome, design, class)."""
    from . import model

    if kind in ("outcome", "design", "class"):
        values = {"outcome": model.OUTCOMES, "design": model.DESIGNS, "class": model.TREATMENT_CLASSES}[kind]
        for value in values:
            click.echo(value)
        return
    ds = _load(ctx)
    if kind == "treatment":
        for t in ds.treatments.values():
            aliases = f"  (also: {', '.join(t.aliases)})" if t.aliases else ""
            click.echo(f"{t.id}  [{t.treatment_class}]{aliases}")
    else:
        for d in ds.diagnoses.values():
            extra = []
            if d.aliases:
                extra.append(f"also: {', '.join(d.aliases)}")
            if d.broader:
                extra.append(f"found by: {d.broader}")
            click.echo(d.id + (f"  ({'; '.join(extra)})" if extra else ""))


@cli.command("formats")
def formats_command() -> None:
    """List the output formats --format accepts."""
    from .render import all_formats

    for name in all_formats():
        click.echo(name)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI with our exit codes and without tracebacks unless --debug."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        code = cli.main(args=args, prog_name="calcinosis", standalone_mode=False)
        # With standalone_mode=False click returns the exit code of --help/--version.
        if isinstance(code, int) and code:
            sys.exit(code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        if debug:
            raise
        exc.show()
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        # The reader (head, less) went away: not an error. Point stdout at devnull so the
        # interpreter's final flush does not complain.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, no traceback
        if debug:
            raise
        click.echo(f"calcinosis: internal error: {type(exc).__name__}: {exc} (run with --debug for details)", err=True)
        sys.exit(EXIT_DATA)
    sys.exit(0)
