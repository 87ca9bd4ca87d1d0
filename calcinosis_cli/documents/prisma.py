"""The report's PRISMA 2020 section: the flow diagram of the reviewer's numbers, once they add
up, as a Figure block that every renderer places in its own way (an inline SVG in HTML, a code
block and a linked file in Markdown, a drawing in the preview, an image in Word)."""

from __future__ import annotations

from collections.abc import Callable

from .blocks import Figure, Heading, Paragraph, text

CHECKED = (
    "The numbers are the reviewer's, from {file}. calcinosis checked that the boxes add up: records identified "
    "minus those removed before screening are the records screened; screened minus excluded are the reports "
    "sought; sought minus not retrieved are those assessed; assessed minus the reports excluded (the sum of the "
    "reasons, both columns) are the reports of the new included studies; totals add the previous studies."
)


def flow_section(figure: Figure, file: str) -> Callable[[object], list]:
    """A report section (for build_report's ``sections``) holding the flow diagram ``figure``."""

    def section(_builder) -> list:
        return [
            Heading(2, text("PRISMA 2020 flow diagram"), "prisma-flow-diagram"),
            Paragraph(text(CHECKED.format(file=file))),
            figure,
        ]

    return section
