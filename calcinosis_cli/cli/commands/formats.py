"""`calcinosis formats`: the names --format accepts."""

from __future__ import annotations

import click

from ..options import global_options
from ..output import echo_text


@click.command("formats")
@global_options
def formats_command() -> None:
    """List the output formats --format accepts."""
    from ...render import all_formats

    echo_text("".join(name + "\n" for name in all_formats()), "plain")
