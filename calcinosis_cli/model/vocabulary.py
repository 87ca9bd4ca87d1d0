"""The vocabulary: treatment classes, treatments and diagnosis terms (the tool's own, or a user's)."""

from typing import NamedTuple

# What an arm received when it is not a treatment of the vocabulary: control arms, never
# counted as treated.
CONTROLS = ("placebo", "no treatment", "other")

# The value of ``origin`` for terms of the bundled vocabulary (data/vocabulary.yaml).
TOOL_VOCABULARY = "calcinosis vocabulary"


class TreatmentClass(NamedTuple):
    """A class of treatments (the tool's vocabulary, or a user's own)."""

    id: str
    origin: str = ""  # TOOL_VOCABULARY, or the file that declares it


class Treatment(NamedTuple):
    """A normalised treatment term with its class and the names users type for it."""

    id: str
    treatment_class: str
    aliases: tuple[str, ...] = ()
    origin: str = ""


class Diagnosis(NamedTuple):
    """A normalised diagnosis term; ``broader`` makes a query for it find narrower terms."""

    id: str
    aliases: tuple[str, ...] = ()
    broader: str | None = None
    origin: str = ""
