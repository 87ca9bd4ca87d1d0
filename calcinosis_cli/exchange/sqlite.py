"""The dataset as a normalised SQLite database (`calcinosis export --format sqlite`).

One table per kind of record, with primary and foreign keys declared (PRAGMA foreign_key_check
is clean); printed text and structured fields side by side, as in the YAML; a metadata table
with the source, versions and the hash of every input file; and views that answer the common
questions, counting only the patients who received a treatment (as `group` does). The same
data gives the same content on every export: no dates, rows in dataset order.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Sequence

from .. import model
from ..errors import OutputError
from .sqlite_appraisal import APPRAISAL_SCHEMA, write_appraisals, write_tools

SCHEMA = """
CREATE TABLE metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE input_files (position INTEGER PRIMARY KEY, name TEXT NOT NULL, bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL);
CREATE TABLE classes (id TEXT PRIMARY KEY, origin TEXT NOT NULL);
CREATE TABLE treatments (id TEXT PRIMARY KEY, class_id TEXT NOT NULL REFERENCES classes (id), origin TEXT NOT NULL);
CREATE TABLE treatment_aliases (treatment_id TEXT NOT NULL REFERENCES treatments (id), alias TEXT NOT NULL,
  PRIMARY KEY (treatment_id, alias));
CREATE TABLE diagnoses (id TEXT PRIMARY KEY, broader_id TEXT REFERENCES diagnoses (id), origin TEXT NOT NULL);
CREATE TABLE diagnosis_aliases (diagnosis_id TEXT NOT NULL REFERENCES diagnoses (id), alias TEXT NOT NULL,
  PRIMARY KEY (diagnosis_id, alias));
CREATE TABLE refs (id TEXT PRIMARY KEY, number INTEGER, title TEXT NOT NULL, journal TEXT NOT NULL,
  year INTEGER NOT NULL, volume TEXT, issue TEXT, supplement TEXT, pages TEXT, abstract_number TEXT, doi TEXT,
  pmid TEXT, kind TEXT, et_al INTEGER NOT NULL, vancouver TEXT NOT NULL, type TEXT NOT NULL,
  container_title TEXT, collection_title TEXT, publisher TEXT, publisher_place TEXT, edition TEXT, event TEXT,
  genre TEXT, report_number TEXT, url TEXT, isbn TEXT, issn TEXT, issued TEXT);
CREATE TABLE ref_editors (ref_id TEXT NOT NULL REFERENCES refs (id), position INTEGER NOT NULL,
  name TEXT NOT NULL, PRIMARY KEY (ref_id, position));
CREATE TABLE ref_authors (ref_id TEXT NOT NULL REFERENCES refs (id), position INTEGER NOT NULL,
  name TEXT NOT NULL, PRIMARY KEY (ref_id, position));
CREATE TABLE ref_notes (ref_id TEXT NOT NULL REFERENCES refs (id), position INTEGER NOT NULL, text TEXT NOT NULL,
  PRIMARY KEY (ref_id, position));
CREATE TABLE footnotes (file TEXT NOT NULL, marker TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (file, marker));
CREATE TABLE studies (id TEXT PRIMARY KEY, position INTEGER NOT NULL, source TEXT NOT NULL, table_row INTEGER,
  treatment_printed TEXT NOT NULL, treatment_id TEXT NOT NULL REFERENCES treatments (id), dose TEXT, phase TEXT,
  n INTEGER NOT NULL, treated INTEGER NOT NULL, unassigned INTEGER, diagnosis_printed TEXT,
  outcome_printed TEXT, footnote_file TEXT, footnote_marker TEXT, reference_printed TEXT,
  reference_cell TEXT, ref_id TEXT NOT NULL REFERENCES refs (id), spans_from TEXT REFERENCES studies (id),
  design TEXT NOT NULL, level TEXT NOT NULL, level_reason TEXT NOT NULL,
  FOREIGN KEY (footnote_file, footnote_marker) REFERENCES footnotes (file, marker));
CREATE TABLE study_diagnoses (study_id TEXT NOT NULL REFERENCES studies (id), position INTEGER NOT NULL,
  diagnosis_id TEXT NOT NULL REFERENCES diagnoses (id), PRIMARY KEY (study_id, position));
CREATE TABLE study_outcome_measures (study_id TEXT NOT NULL REFERENCES studies (id), measure TEXT NOT NULL,
  PRIMARY KEY (study_id, measure));
CREATE TABLE study_notes (study_id TEXT NOT NULL REFERENCES studies (id), position INTEGER NOT NULL,
  text TEXT NOT NULL, PRIMARY KEY (study_id, position));
CREATE TABLE tallies (study_id TEXT PRIMARY KEY REFERENCES studies (id), improved INTEGER NOT NULL,
  unchanged INTEGER NOT NULL, worsened INTEGER NOT NULL, not_improved INTEGER NOT NULL, not_stated INTEGER NOT NULL,
  alternative_improved INTEGER, alternative_unchanged INTEGER, alternative_worsened INTEGER,
  alternative_not_improved INTEGER, alternative_not_stated INTEGER);
CREATE TABLE tally_covers (tally_study_id TEXT NOT NULL REFERENCES tallies (study_id),
  study_id TEXT NOT NULL REFERENCES studies (id), PRIMARY KEY (tally_study_id, study_id));
CREATE TABLE arms (study_id TEXT NOT NULL REFERENCES studies (id), position INTEGER NOT NULL, label TEXT NOT NULL,
  received TEXT NOT NULL, treatment_id TEXT REFERENCES treatments (id), n INTEGER NOT NULL,
  improved INTEGER NOT NULL, unchanged INTEGER NOT NULL, worsened INTEGER NOT NULL, not_improved INTEGER NOT NULL,
  not_stated INTEGER NOT NULL, counted INTEGER NOT NULL, PRIMARY KEY (study_id, position));
CREATE TABLE cases (study_id TEXT NOT NULL REFERENCES studies (id), number INTEGER NOT NULL, age_years INTEGER NOT NULL,
  sex TEXT NOT NULL, ssc_subtype TEXT NOT NULL, disease_duration_years INTEGER, disease_duration_text TEXT,
  lesion_sites TEXT NOT NULL, lesion_sites_text TEXT NOT NULL, largest_lesion_cm REAL NOT NULL,
  largest_lesion_text TEXT NOT NULL, lesion_duration_before_treatment_text TEXT NOT NULL,
  dose_printed TEXT NOT NULL, time_to_response_months INTEGER, time_to_response_text TEXT, response TEXT NOT NULL,
  response_text TEXT NOT NULL, coagulation_text TEXT NOT NULL, bleeding_text TEXT NOT NULL,
  follow_up_text TEXT NOT NULL, patient_origin TEXT, patient_origin_text TEXT, prior_treatments TEXT NOT NULL,
  prior_treatments_text TEXT, PRIMARY KEY (study_id, number));
CREATE TABLE case_notes (study_id TEXT NOT NULL, number INTEGER NOT NULL, position INTEGER NOT NULL,
  text TEXT NOT NULL, PRIMARY KEY (study_id, number, position),
  FOREIGN KEY (study_id, number) REFERENCES cases (study_id, number));
CREATE TABLE quirks (id TEXT PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE quirk_studies (quirk_id TEXT NOT NULL REFERENCES quirks (id),
  study_id TEXT NOT NULL REFERENCES studies (id), PRIMARY KEY (quirk_id, study_id));
CREATE TABLE quirk_refs (quirk_id TEXT NOT NULL REFERENCES quirks (id), ref_id TEXT NOT NULL REFERENCES refs (id),
  PRIMARY KEY (quirk_id, ref_id));
CREATE TABLE dataset_notes (position INTEGER PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE later_evidence (id TEXT PRIMARY KEY, ref_id TEXT NOT NULL REFERENCES refs (id),
  statement TEXT NOT NULL, level TEXT, scope_diagnosis_id TEXT REFERENCES diagnoses (id), quoted INTEGER NOT NULL,
  quoted_from TEXT);
CREATE TABLE later_evidence_treatments (later_id TEXT NOT NULL REFERENCES later_evidence (id),
  treatment_id TEXT NOT NULL REFERENCES treatments (id), PRIMARY KEY (later_id, treatment_id));
CREATE TABLE later_evidence_classes (later_id TEXT NOT NULL REFERENCES later_evidence (id),
  class_id TEXT NOT NULL REFERENCES classes (id), PRIMARY KEY (later_id, class_id));

-- Every group of patients who received a treatment, each counted once: the arms that received
-- one, and the rows without arms that hold a tally (a tally printed across rows holds their
-- patients). Control arms and patients in no arm are never here.
CREATE VIEW treated_patients AS
  SELECT a.study_id, a.treatment_id, a.n AS patients, a.improved, a.unchanged, a.worsened, a.not_improved,
         a.not_stated
    FROM arms a WHERE a.counted = 1
  UNION ALL
  SELECT t.study_id, s.treatment_id,
         (SELECT sum(c.n) FROM tally_covers tc JOIN studies c ON c.id = tc.study_id
           WHERE tc.tally_study_id = t.study_id) AS patients,
         t.improved, t.unchanged, t.worsened, t.not_improved, t.not_stated
    FROM tallies t JOIN studies s ON s.id = t.study_id;

-- Patients and outcomes per treatment: what `calcinosis group --by treatment` prints for all rows.
CREATE VIEW treatment_summary AS
  SELECT s.treatment_id AS treatment,
         (SELECT count(DISTINCT r.ref_id) FROM studies r WHERE r.treatment_id = s.treatment_id) AS studies,
         (SELECT count(*) FROM studies r WHERE r.treatment_id = s.treatment_id) AS rows,
         sum(p.patients) AS patients, sum(p.improved) AS improved, sum(p.unchanged) AS unchanged,
         sum(p.worsened) AS worsened, sum(p.not_improved) AS not_improved, sum(p.not_stated) AS not_stated,
         round(100.0 * sum(p.improved)
               / nullif(sum(p.improved) + sum(p.unchanged) + sum(p.worsened) + sum(p.not_improved), 0), 1)
           AS improved_pct
    FROM treated_patients p JOIN studies s ON s.id = p.study_id
    GROUP BY s.treatment_id ORDER BY s.treatment_id COLLATE NOCASE;

-- The same per treatment class.
CREATE VIEW class_summary AS
  SELECT t.class_id AS class,
         (SELECT count(DISTINCT r.ref_id) FROM studies r JOIN treatments rt ON rt.id = r.treatment_id
           WHERE rt.class_id = t.class_id) AS studies,
         (SELECT count(*) FROM studies r JOIN treatments rt ON rt.id = r.treatment_id
           WHERE rt.class_id = t.class_id) AS rows,
         sum(p.patients) AS patients, sum(p.improved) AS improved, sum(p.unchanged) AS unchanged,
         sum(p.worsened) AS worsened, sum(p.not_improved) AS not_improved, sum(p.not_stated) AS not_stated,
         round(100.0 * sum(p.improved)
               / nullif(sum(p.improved) + sum(p.unchanged) + sum(p.worsened) + sum(p.not_improved), 0), 1)
           AS improved_pct
    FROM treated_patients p JOIN treatments t ON t.id = p.treatment_id
    GROUP BY t.class_id ORDER BY t.class_id COLLATE NOCASE;
"""


def content_hash(files: Sequence[model.InputFile]) -> str:
    """One hash of all the input files' bytes, in order (their sha256s, hashed)."""
    return hashlib.sha256("\n".join(f"{f.name}\0{f.sha256}" for f in files).encode()).hexdigest()


def write_database(path: str, ds: model.Dataset, provenance: model.Provenance) -> None:
    """Build the database at ``path`` (which must not exist: the caller writes to a new file).

    A sqlite3 failure (a full disk, a read-only folder) is an OutputError, one line."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.executescript(SCHEMA + APPRAISAL_SCHEMA)
        with connection:
            _fill(connection, ds, provenance)
        problems = connection.execute("PRAGMA foreign_key_check").fetchall()
        if problems:  # pragma: no cover - the loader's cross-checks make this impossible
            raise RuntimeError(f"foreign key violations in the export: {problems[:3]}")
        connection.execute("VACUUM")
    except sqlite3.Error as err:
        raise OutputError(f"the database could not be written: {err}") from None
    finally:
        connection.close()


class _Writer:
    """What the section writers share: the connection, the dataset and the input files' names."""

    def __init__(self, db: sqlite3.Connection, ds: model.Dataset, provenance: model.Provenance):
        self.db, self.ds = db, ds
        self.names = {f.path: f.name for f in provenance.files}

    def file_name(self, path: str) -> str:
        """A file as the input_files table names it."""
        return self.names.get(path, os.path.basename(path))

    def rows(self, table: str, rows) -> None:
        rows = list(rows)
        if rows:
            self.db.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)


def _fill(db: sqlite3.Connection, ds: model.Dataset, provenance: model.Provenance) -> None:
    from ..dataset.sections import LIST_SECTIONS
    from ..references.bibliography import vancouver

    source = ds.references.get(ds.source)
    metadata = {
        "title": ds.title,
        "source": ds.source,
        "source_citation": vancouver(source) if source else "",
        "source_short": provenance.source,
        "dataset_version": ds.version,
        "tool": "calcinosis",
        "tool_version": provenance.tool_version,
        "content_sha256": content_hash(provenance.files),
        "note": "Crude counts of what the sources print, not a meta-analysis; no medical advice. "
        "Count treated patients through the views treated_patients, treatment_summary and class_summary: "
        "control arms and patients in no arm are in arms and studies.unassigned, never treated.",
    }
    w = _Writer(db, ds, provenance)
    w.rows("metadata", metadata.items())
    w.rows("input_files", ((i, f.name, f.size, f.sha256) for i, f in enumerate(provenance.files, 1)))
    missing = [s.name for s in LIST_SECTIONS if s.name not in SECTION_WRITERS]
    if missing:  # pragma: no cover - a new section comes with its tables
        raise RuntimeError(f"no SQLite writer for the sections {missing}")
    for write in SECTION_WRITERS.values():  # in the order their keys refer to each other
        write(w)
    w.rows("dataset_notes", enumerate(ds.notes, 1))


def _classes(w: _Writer) -> None:
    w.rows("classes", ((c.id, c.origin) for c in w.ds.classes.values()))


def _treatments(w: _Writer) -> None:
    treatments = w.ds.treatments.values()
    w.rows("treatments", ((t.id, t.treatment_class, t.origin) for t in treatments))
    w.rows("treatment_aliases", ((t.id, a) for t in treatments for a in dict.fromkeys(t.aliases)))


def _diagnoses(w: _Writer) -> None:
    diagnoses = w.ds.diagnoses.values()
    # A broader term may come after the narrower one in the file: insert, then link.
    w.rows("diagnoses", ((d.id, None, d.origin) for d in diagnoses))
    w.db.executemany(
        "UPDATE diagnoses SET broader_id = ? WHERE id = ?", [(d.broader, d.id) for d in diagnoses if d.broader]
    )
    w.rows("diagnosis_aliases", ((d.id, a) for d in diagnoses for a in dict.fromkeys(d.aliases)))


def _references(w: _Writer) -> None:
    from ..references.bibliography import vancouver

    for ref in w.ds.references.values():
        w.rows(
            "refs",
            [
                (ref.id, ref.number, ref.title, ref.journal, ref.year, ref.volume, ref.issue, ref.supplement)
                + (ref.pages, ref.abstract_number, ref.doi, ref.pmid, ref.kind, int(ref.et_al), vancouver(ref))
                + (ref.type, ref.container_title, ref.collection_title, ref.publisher, ref.publisher_place)
                + (ref.edition, ref.event, ref.genre, ref.report_number, ref.url, ref.isbn, ref.issn, ref.issued)
            ],
        )
        w.rows("ref_authors", ((ref.id, i, a) for i, a in enumerate(ref.authors, 1)))
        w.rows("ref_editors", ((ref.id, i, a) for i, a in enumerate(ref.editors, 1)))
        w.rows("ref_notes", ((ref.id, i, n) for i, n in enumerate(ref.notes, 1)))


def _footnotes(w: _Writer) -> None:
    w.rows("footnotes", ((w.file_name(f.file), f.marker, f.text) for f in w.ds.footnotes))


def _studies(w: _Writer) -> None:
    from ..analysis.levels import level_for, level_reason
    from ..analysis.rows import reference_cell, treated_counts

    ds = w.ds
    # Rows point at rows above them (spans_from): insert all, then link.
    for position, study in enumerate(ds.studies, 1):
        treated, _tally = treated_counts(ds, study)
        note = study.footnote
        w.rows(
            "studies",
            [
                (study.id, position, study.source, study.table_row, study.treatment_printed, study.treatment)
                + (study.dose, study.phase, study.n, treated, study.unassigned if study.arms else None)
                + (study.diagnosis_printed, study.outcome_printed)
                + ((w.file_name(note.file), note.marker) if note else (None, None))
                + (study.reference_printed, reference_cell(ds, study), study.reference, None, study.design)
                + (level_for(study.design), level_reason(study.design))
            ],
        )
    w.db.executemany(
        "UPDATE studies SET spans_from = ? WHERE id = ?", [(s.spans_from, s.id) for s in ds.studies if s.spans_from]
    )
    for study in ds.studies:
        w.rows("study_diagnoses", ((study.id, i, d) for i, d in enumerate(study.diagnoses, 1)))
        w.rows("study_outcome_measures", ((study.id, m) for m in dict.fromkeys(study.outcome_measures)))
        w.rows("study_notes", ((study.id, i, n) for i, n in enumerate(study.notes, 1)))
        if study.tally is not None:
            t, alt = study.tally, study.tally.alternative
            counts = tuple(t.count(o) for o in model.OUTCOMES)
            w.rows("tallies", [(study.id, *counts, *(alt.count(o) if alt else None for o in model.OUTCOMES))])
            w.rows("tally_covers", ((study.id, c) for c in t.covers))
        for i, arm in enumerate(study.arms, 1):
            counted = arm.received in ds.treatments
            counts = tuple(arm.tally.count(o) for o in model.OUTCOMES)
            row = (study.id, i, arm.label, arm.received, arm.received if counted else None, arm.n)
            w.rows("arms", [(*row, *counts, int(counted))])


def _cases(w: _Writer) -> None:
    for case in w.ds.cases:
        row = case._asdict()
        notes = row.pop("notes")
        row["lesion_sites"] = json.dumps(list(case.lesion_sites), ensure_ascii=False)
        row["prior_treatments"] = json.dumps(list(case.prior_treatments), ensure_ascii=False)
        number, study = row.pop("number"), row.pop("study")
        w.rows("cases", [(study, number, *row.values())])
        w.rows("case_notes", ((study, number, i, n) for i, n in enumerate(notes, 1)))


def _quirks(w: _Writer) -> None:
    study_ids = {s.id for s in w.ds.studies}
    for quirk in w.ds.quirks:
        w.rows("quirks", [(quirk.id, quirk.text)])
        w.rows("quirk_studies", ((quirk.id, x) for x in quirk.applies_to if x in study_ids))
        w.rows("quirk_refs", ((quirk.id, x) for x in quirk.applies_to if x in w.ds.references))


def _later_evidence(w: _Writer) -> None:
    for entry in w.ds.later_evidence:
        fields = (entry.id, entry.reference, entry.statement, entry.level, entry.scope)
        w.rows("later_evidence", [(*fields, int(entry.quoted), entry.quoted_from)])
        w.rows("later_evidence_treatments", ((entry.id, t) for t in entry.treatments))
        w.rows("later_evidence_classes", ((entry.id, c) for c in entry.classes))


def _certainty(w: _Writer) -> None:
    from .certainty_tables import write_certainty  # the section's own tables, with their schema

    write_certainty(w)


# Section -> its writer, in the order their foreign keys allow; every section of the format has one.
SECTION_WRITERS = {
    "classes": _classes,
    "treatments": _treatments,
    "diagnoses": _diagnoses,
    "references": _references,
    "footnotes": _footnotes,
    "studies": _studies,
    "cases": _cases,
    "quirks": _quirks,
    "later_evidence": _later_evidence,
    "tools": write_tools,
    "appraisals": write_appraisals,
    "certainty": _certainty,
}
