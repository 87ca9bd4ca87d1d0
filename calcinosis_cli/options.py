"""Options shared by several commands, their shell completion, and loading the dataset they name."""

from __future__ import annotations

from collections.abc import Callable

import click

from .errors import EXIT_DATA, EXIT_USAGE, CalcinosisError

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


def filters_from(kwargs: dict):
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


def dataset_from_context(ctx: click.Context):
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


def later_option(func: Callable) -> Callable:
    return click.option(
        "--no-later-evidence", "no_later", is_flag=True, help="Hide the marks and statements of later reviews."
    )(func)
