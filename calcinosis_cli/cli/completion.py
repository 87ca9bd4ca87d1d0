"""Shell completion of option values.

A TAB press runs the program: completions read the dataset through the cache (no YAML
parsing after the first run) and import tabulate only when --format is completed.
"""

from __future__ import annotations

import click


def _completion_dataset(ctx: click.Context):
    from .session import current_session

    try:
        return current_session(ctx).dataset()
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
    from ..render import all_formats

    return _matching(all_formats(), incomplete)
