"""A PRISMA 2020 flow diagram's boxes and the numbers a reviewer gives them (no I/O).

The boxes, their keys and their default wording are those of the PRISMA2020 R package's CSV
template (inst/extdata/PRISMA.csv, github.com/prisma-flowdiagram/PRISMA2020 at commit
696d35e6; Copyright 2020 Neal R Haddaway, MIT licence; Haddaway et al. 2022, Campbell
Systematic Reviews 18:e1230). Its rows are kept below, column for column, so that
`calcinosis new flow.csv` writes the template reviewers know. The counts are the reviewer's;
the tool only adds them up.
"""

from __future__ import annotations

from typing import NamedTuple

TEMPLATE_COLUMNS = ("data", "node", "box", "description", "boxtext", "tooltips", "url", "n")

_NA = "NA"
_REASONS_HINT = "[separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx"

# The template's rows: data, node, box, description, boxtext, tooltips, url (n is the reviewer's).
TEMPLATE_ROWS: tuple[tuple[str, ...], ...] = (
    (_NA, "node4", "prevstud", "Grey title box; Previous studies", "Previous studies",
     "Grey title box; Previous studies", "prevstud.html"),
    ("previous_studies", "node5", "box1", "Studies included in previous version of review",
     "Studies included in previous version of review", "Studies included in previous version of review",
     "previous_studies.html"),
    ("previous_reports", _NA, "box1", "Reports of studies included in previous version of review",
     "Reports of studies included in previous version of review", _NA, "previous_reports.html"),
    (_NA, "node6", "newstud", "Yellow title box; Identification of new studies via databases and registers",
     "Identification of new studies via databases and registers",
     "Yellow title box; Identification of new studies via databases and registers", "newstud.html"),
    ("database_results", "node7", "box2", "Records identified from: Databases", "Databases",
     "Records identified from: Databases and Registers", "database_results.html"),
    ("database_specific_results", _NA, "box2", "Records identified from: specific databases", "Specific Databases",
     _NA, "database_results.html"),
    ("register_results", _NA, "box2", "Records identified from: Registers", "Registers", _NA, _NA),
    ("register_specific_results", _NA, "box2", "Records identified from: specific registers", "Specific Registers",
     _NA, "database_results.html"),
    (_NA, "node16", "othstud", "Grey title box; Identification of new studies via other methods",
     "Identification of new studies via other methods",
     "Grey title box; Identification of new studies via other methods", "othstud.html"),
    ("website_results", "node17", "box11", "Records identified from: Websites", "Websites",
     "Records identified from: Websites, Organisations and Citation Searching", "website_results.html"),
    ("organisation_results", "", "box11", "Records identified from: Organisations", "Organisations", _NA, _NA),
    ("citations_results", _NA, "box11", "Records identified from: Citation searching", "Citation searching", _NA,
     _NA),
    ("duplicates", "node8", "box3", "Duplicate records", "Duplicate records", "Duplicate records",
     "duplicates.html"),
    ("excluded_automatic", _NA, "box3", "Records marked as ineligible by automation tools",
     "Records marked as ineligible by automation tools", _NA, _NA),
    ("excluded_other", _NA, "box3", "Records removed for other reasons", "Records removed for other reasons", _NA,
     _NA),
    ("records_screened", "node9", "box4", "Records screened (databases and registers)", "Records screened",
     "Records screened (databases and registers)", "records_screened.html"),
    ("records_excluded", "node10", "box5", "Records excluded (databases and registers)", "Records excluded",
     "Records excluded (databases and registers)", "records_excluded.html"),
    ("dbr_sought_reports", "node11", "box6", "Reports sought for retrieval (databases and registers)",
     "Reports sought for retrieval", "Reports sought for retrieval (databases and registers)",
     "dbr_sought_reports.html"),
    ("dbr_notretrieved_reports", "node12", "box7", "Reports not retrieved (databases and registers)",
     "Reports not retrieved", "Reports not retrieved (databases and registers)", "dbr_notretrieved_reports.html"),
    ("other_sought_reports", "node18", "box12", "Reports sought for retrieval (other)", "Reports sought for retrieval",
     "Reports sought for retrieval (other)", "other_sought_reports.html"),
    ("other_notretrieved_reports", "node19", "box13", "Reports not retrieved (other)", "Reports not retrieved",
     "Reports not retrieved (other)", "other_notretrieved_reports.html"),
    ("dbr_assessed", "node13", "box8", "Reports assessed for eligibility (databases and registers)",
     "Reports assessed for eligibility", "Reports assessed for eligibility (databases and registers)",
     "dbr_assessed.html"),
    ("dbr_excluded", "node14", "box9", f"Reports excluded (databases and registers): {_REASONS_HINT}]",
     "Reports excluded", "Reports excluded (databases and registers)", "dbrexcludedrecords.html"),
    ("other_assessed", "node20", "box14", "Reports assessed for eligibility (other)",
     "Reports assessed for eligibility", "Reports assessed for eligibility (other)", "other_assessed.html"),
    ("other_excluded", "node21", "box15", f"Reports excluded (other): {_REASONS_HINT}]", "Reports excluded",
     "Reports excluded (other)", "other_excluded.html"),
    ("new_studies", "node15", "box10", "New studies included in review", "New studies included in review",
     "New studies included in review", "new_studies.html"),
    ("new_reports", _NA, "box10", "Reports of new included studies", "Reports of new included studies", _NA, _NA),
    ("total_studies", "node22", "box16", "Total studies included in review", "Total studies included in review",
     "Total studies included in review", "total_studies.html"),
    ("total_reports", _NA, "box16", "Reports of total included studies", "Reports of total included studies", _NA,
     _NA),
    ("identification", "node1", "identification", "Blue identification box", "Identification",
     "Blue identification box", "identification.html"),
    ("screening", "node2", "screening", "Blue screening box", "Screening", "Blue screening box", "screening.html"),
    ("included", "node3", "included", "Blue included box", "Included", "Blue included box", "included.html"),
)  # fmt: skip

# Keys whose n is a list of "name, number" pairs (specific sources; reasons for exclusion).
LIST_KEYS = ("database_specific_results", "register_specific_results", "dbr_excluded", "other_excluded")
# Of those, the ones that may also be one number (the excluded reports, without reasons).
EXCLUDED_KEYS = ("dbr_excluded", "other_excluded")
# Rows without a number: title boxes and the side bands, named by their `box` column.
TITLE_KEYS = ("prevstud", "newstud", "othstud", "identification", "screening", "included")
# The template's placeholder for the list rows (what its n column holds before it is filled).
PLACEHOLDERS = {
    "database_specific_results": ("Database 1", "Database 2", "Database 3"),
    "register_specific_results": ("Register 1", "Register 2", "Register 3"),
    "dbr_excluded": ("Reason1", "Reason2", "Reason3"),
    "other_excluded": ("Reason1", "Reason2", "Reason3"),
}


def placeholder(key: str) -> str:
    """A list row's n before it is filled: "Reason1, xxx; Reason2, xxx; Reason3, xxx"."""
    return "; ".join(f"{name}, xxx" for name in PLACEHOLDERS[key])


def _key(row: tuple[str, ...]) -> str:
    return row[2] if row[0] == _NA else row[0]


# Every key a flow may give, in the template's order.
KEYS: tuple[str, ...] = tuple(_key(row) for row in TEMPLATE_ROWS)
COUNT_KEYS = tuple(k for k in KEYS if k not in LIST_KEYS and k not in TITLE_KEYS)
# The template's wording of each box (its boxtext), the default where a flow gives none.
DEFAULT_TEXTS: dict[str, str] = {_key(row): row[4] for row in TEMPLATE_ROWS}
DESCRIPTIONS: dict[str, str] = {_key(row): row[3] for row in TEMPLATE_ROWS}

# The boxes a flow must give, whatever review it is (databases and registers are the
# identification of every PRISMA 2020 review; one of their sources must be given, see below).
REQUIRED_KEYS = (
    "records_screened",
    "records_excluded",
    "dbr_sought_reports",
    "dbr_notretrieved_reports",
    "dbr_assessed",
    "dbr_excluded",
    "new_studies",
    "new_reports",
)
IDENTIFIED_KEYS = ("database_results", "database_specific_results", "register_results", "register_specific_results")

Pairs = tuple[tuple[str, int], ...]


class Flow(NamedTuple):
    """A reviewer's flow: the numbers given (a key left out, or NA, is a box not drawn), the
    lists of named numbers, the box texts given, and where each key stands in its file."""

    path: str
    counts: dict[str, int]
    lists: dict[str, Pairs]
    texts: dict[str, str]
    places: dict[str, str]  # key -> "line 7" (or "row 7"), for messages

    def number(self, key: str) -> int | None:
        """The box's number: given, or the sum of its list (None when neither is given)."""
        if key in self.counts:
            return self.counts[key]
        if key in self.lists:
            return sum(n for _name, n in self.lists[key])
        return None

    def text(self, key: str) -> str:
        """The box's wording: the reviewer's, else the template's."""
        return self.texts.get(key) or DEFAULT_TEXTS[key]

    def given(self, *keys: str) -> bool:
        return any(self.number(key) is not None for key in keys)

    def any_nonzero(self, *keys: str) -> bool:
        return any(self.number(key) for key in keys)


# --- the numbers as reviewers write them -------------------------------------------------------


def parse_count(value: str) -> int:
    """A box's number as written ("312"); ValueError saying why it is not a count."""
    text = value.strip()
    if text.startswith("-") and text[1:].strip().isdigit():
        raise ValueError(f"a count cannot be negative, got {text!r}")
    if not text.isascii() or not text.isdigit():
        raise ValueError(f"expected a whole number, got {text!r}")
    if len(text) > 9:
        raise ValueError(f"number {text!r} is too large")
    return int(text)


def parse_pairs(value: str) -> Pairs:
    """Named numbers as the template writes them, "Reason1, 12; Reason2, 3"; ValueError saying
    which part is malformed. A name may hold commas: its number follows the last one."""
    pairs: list[tuple[str, int]] = []
    parts = value.split(";")
    if len(parts) > 1 and not parts[-1].strip():
        parts.pop()  # a trailing ";"
    for index, part in enumerate(parts, 1):
        if not part.strip():
            raise ValueError(f"part {index} of {value!r} is empty (write 'Reason1, 12; Reason2, 3')")
        name, comma, number = part.rpartition(",")
        if not comma or not name.strip():
            raise ValueError(f"part {index}, {part.strip()!r}, is not 'name, number' (write 'Reason1, 12; Reason2, 3')")
        try:
            count = parse_count(number)
        except ValueError as err:
            raise ValueError(f"part {index}, {part.strip()!r}: {err}") from None
        if any(name.strip() == seen for seen, _n in pairs):
            raise ValueError(f"part {index}: {name.strip()!r} is named twice")
        pairs.append((name.strip(), count))
    return tuple(pairs)


def pairs_text(pairs: Pairs) -> str:
    """Named numbers in the template's form, "Reason1, 12; Reason2, 3"."""
    return "; ".join(f"{name}, {n}" for name, n in pairs)
