"""Where the bundled data files are: inside the installed package, else in the checkout."""

from __future__ import annotations

import os

BUNDLED_NAME = "treatments.yaml"
LATER_EVIDENCE_NAME = "later_evidence.yaml"

# os.path, not pathlib: this runs on every start, and pathlib's import is not free.
_HERE = os.path.dirname(os.path.abspath(__file__))


def bundled_data_dir() -> str:
    """The folder holding the bundled YAML."""
    packaged = os.path.join(_HERE, "data")
    return packaged if os.path.isdir(packaged) else os.path.join(os.path.dirname(_HERE), "data")


def bundled_paths() -> list[str]:
    """The bundled dataset and its later-evidence annotations."""
    folder = bundled_data_dir()
    return [os.path.join(folder, BUNDLED_NAME), os.path.join(folder, LATER_EVIDENCE_NAME)]
