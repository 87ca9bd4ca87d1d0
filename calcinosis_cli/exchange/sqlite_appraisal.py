"""The SQLite tables of the appraisal tools and the appraisals (exchange/sqlite.py adds them):
every tool the dataset may use (built in and declared) with its items and answer set, each
appraisal, and each answer with its support. Only the reviewers' answers: no score."""

from __future__ import annotations

APPRAISAL_SCHEMA = """
CREATE TABLE appraisal_tools (id TEXT PRIMARY KEY, name TEXT NOT NULL, citation TEXT NOT NULL, origin TEXT NOT NULL);
CREATE TABLE appraisal_tool_answers (tool_id TEXT NOT NULL REFERENCES appraisal_tools (id),
  position INTEGER NOT NULL, answer TEXT NOT NULL, PRIMARY KEY (tool_id, position));
CREATE TABLE appraisal_items (tool_id TEXT NOT NULL REFERENCES appraisal_tools (id), number INTEGER NOT NULL,
  domain TEXT, question TEXT NOT NULL, PRIMARY KEY (tool_id, number));
CREATE TABLE appraisals (id INTEGER PRIMARY KEY, study_id TEXT NOT NULL REFERENCES studies (id),
  tool_id TEXT NOT NULL REFERENCES appraisal_tools (id), reviewer TEXT NOT NULL, date TEXT NOT NULL, overall TEXT,
  overall_reason TEXT, origin TEXT NOT NULL, UNIQUE (study_id, tool_id, reviewer));
CREATE TABLE appraisal_answers (appraisal_id INTEGER NOT NULL REFERENCES appraisals (id),
  tool_id TEXT NOT NULL, item_number INTEGER NOT NULL, answer TEXT NOT NULL, support TEXT,
  PRIMARY KEY (appraisal_id, item_number),
  FOREIGN KEY (tool_id, item_number) REFERENCES appraisal_items (tool_id, number));
"""


def write_tools(w) -> None:
    from ..appraisal.tools import tools_of

    for tool in tools_of(w.ds.tools).values():
        origin = tool.origin if tool.origin == "calcinosis" else w.file_name(tool.origin)
        w.rows("appraisal_tools", [(tool.id, tool.name, tool.citation, origin)])
        w.rows("appraisal_tool_answers", ((tool.id, n, a) for n, a in enumerate(tool.answers, 1)))
        w.rows("appraisal_items", ((tool.id, i.number, i.domain, i.question) for i in tool.items))


def write_appraisals(w) -> None:
    for number, entry in enumerate(w.ds.appraisals, 1):
        path, _, line = entry.origin.rpartition(":")
        origin = f"{w.file_name(path)}:{line}" if path else entry.origin
        fields = (entry.study, entry.tool, entry.reviewer, entry.date, entry.overall, entry.overall_reason, origin)
        w.rows("appraisals", [(number, *fields)])
        w.rows("appraisal_answers", ((number, entry.tool, a.item, a.answer, a.support) for a in entry.answers))
