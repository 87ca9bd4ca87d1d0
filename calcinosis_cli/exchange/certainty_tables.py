"""The `certainty` section in the SQLite export: one row per entry (with the level its ratings
come to) and one row per reason, each with its change and the reason as written."""

from __future__ import annotations

TABLES = (
    """CREATE TABLE certainty (id TEXT PRIMARY KEY, outcome TEXT NOT NULL,
  treatment_id TEXT REFERENCES treatments (id), class_id TEXT REFERENCES classes (id),
  diagnosis_id TEXT REFERENCES diagnoses (id), start TEXT NOT NULL, start_reason TEXT NOT NULL,
  level TEXT NOT NULL, symbols TEXT NOT NULL, comments TEXT, reviewer TEXT NOT NULL, date TEXT NOT NULL)""",
    """CREATE TABLE certainty_reasons (certainty_id TEXT NOT NULL REFERENCES certainty (id), reason TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('down', 'up')), change INTEGER NOT NULL, text TEXT,
  PRIMARY KEY (certainty_id, reason))""",
    """CREATE TABLE certainty_notes (certainty_id TEXT NOT NULL REFERENCES certainty (id), position INTEGER NOT NULL,
  text TEXT NOT NULL, PRIMARY KEY (certainty_id, position))""",
)


def write_certainty(w) -> None:
    """Create the certainty tables and fill them (``w`` is sqlite.py's writer)."""
    from ..certainty.grade import level, symbols

    for statement in TABLES:
        w.db.execute(statement)
    for entry in w.ds.certainty:
        grade = level(entry)
        w.rows(
            "certainty",
            [
                (
                    entry.id,
                    entry.outcome,
                    entry.treatment,
                    entry.treatment_class,
                    entry.diagnosis,
                    entry.start,
                    entry.start_reason,
                    grade,
                    symbols(grade),
                    entry.comments,
                    entry.reviewer,
                    entry.date,
                )
            ],
        )
        for direction, judgements in (("down", entry.rated_down), ("up", entry.rated_up)):
            w.rows(
                "certainty_reasons",
                ((entry.id, key, direction, j.change, j.reason) for key, j in judgements._asdict().items()),
            )
        w.rows("certainty_notes", ((entry.id, i, note) for i, note in enumerate(entry.notes, 1)))
