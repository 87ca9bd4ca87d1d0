"""`calcinosis schema`: the JSON Schema of the dataset format."""

from __future__ import annotations

import click

from ..options import global_options
from ..output import echo_text


@click.command("schema")
@global_options
def schema_command() -> None:
    """Print the JSON Schema of the dataset format (for editors that check YAML as you type)."""
    import json

    from ...dataset.schema import dataset_schema

    echo_text(json.dumps(dataset_schema(), indent=2, ensure_ascii=False) + "\n", "json")
