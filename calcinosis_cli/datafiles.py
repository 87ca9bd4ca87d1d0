"""Where the bundled data files are: inside the installed package, else in the checkout."""

from __future__ import annotations

from pathlib import Path

BUNDLED_NAME = "treatments.yaml"
LATER_EVIDENCE_NAME = "later_evidence.yaml"


def bundled_data_dir() -> Path:
    """The folder holding the bundled YAML."""
    packaged = Path(__file__).parent / "data"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "data"


def bundled_paths() -> list[Path]:
    """The bundled dataset and its later-evidence annotations."""
    folder = bundled_data_dir()
    return [folder / BUNDLED_NAME, folder / LATER_EVIDENCE_NAME]
