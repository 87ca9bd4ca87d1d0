"""The PRISMA 2020 flow diagram, checked: reading the numbers a reviewer fills in (the
PRISMA2020 package's CSV template, a YAML mapping with the same keys, or a data file's `flow:`
section), the arithmetic that joins the boxes, and the template `calcinosis new flow.csv`
writes. Drawing is figures/prisma.py; the report's section is documents/prisma.py."""

from .check import Failure, check_flow, flow_notes
from .read import read_flow, read_flow_bytes
from .template import template_csv

__all__ = ["Failure", "check_flow", "flow_notes", "read_flow", "read_flow_bytes", "template_csv"]
