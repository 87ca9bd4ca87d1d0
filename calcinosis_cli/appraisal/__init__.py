"""Appraisal of the risk of bias of case series and case reports: the tools as data (tools.py),
the settled record of each study (this module), the reviewers' rows (rows.py) and their
agreement (agreement.py: percent agreement and Cohen's kappa). Imports only the model; the
tool computes no score and no overall judgement, it shows the reviewers' own.
"""

from __future__ import annotations

from .. import model


def settled(ds: model.Dataset, study_ids=None) -> list[model.Appraisal]:
    """The appraisals that tables, figures and the report use: per study and tool, the
    ``consensus`` entry where there is one, else every reviewer's entry; in file order."""
    by_key: dict[tuple[str, str], list[model.Appraisal]] = {}
    wanted = None if study_ids is None else set(study_ids)
    for entry in ds.appraisals:
        if wanted is None or entry.study in wanted:
            by_key.setdefault((entry.study, entry.tool), []).append(entry)
    out = []
    for entries in by_key.values():
        consensus = [e for e in entries if e.reviewer == model.CONSENSUS]
        out.extend(consensus or entries)
    return out


_LAST: list = [None, {}]  # the appraisals last asked about, and the answer (list asks once per row)


def overall_by_study(ds: model.Dataset) -> dict[str, tuple[str | None, str]]:
    """Each appraised study's overall judgement and whose it is: ``{study_id: (judgement,
    reviewer)}``, the consensus entry preferred, else the first reviewer's in file order. The
    judgement is the reviewer's own (None where the entry states none)."""
    if _LAST[0] is ds.appraisals:
        return dict(_LAST[1])
    out: dict[str, tuple[str | None, str]] = {}
    for entry in settled(ds):
        current = out.get(entry.study)
        if current is None or (entry.reviewer == model.CONSENSUS and current[1] != model.CONSENSUS):
            out[entry.study] = (entry.overall, entry.reviewer)
    _LAST[:] = [ds.appraisals, out]
    return dict(out)
