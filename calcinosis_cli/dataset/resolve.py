"""Names in data files, as on the command line: a treatment, class, diagnosis or arm may be
written by its id or any alias (any case, any Unicode form); each becomes the id it names, and
an unknown one is a problem with the close match offered."""

from __future__ import annotations

from collections.abc import Iterable

from .. import model
from ..errors import Problems
from ..words import did_you_mean, fold
from .places import Places


class Names:
    """Every name a data file may use for a treatment, class, diagnosis or arm -> its id."""

    def __init__(self, merged: dict):
        self.treatments = self._index(merged["treatments"].values(), lambda t: (t.id, *t.aliases))
        self.diagnoses = self._index(merged["diagnoses"].values(), lambda d: (d.id, *d.aliases))
        self.classes = self._index(merged["classes"].values(), lambda c: (c.id,))
        self.received = {**self.treatments, **{fold(c): c for c in model.CONTROLS}}

    @staticmethod
    def _index(records, names) -> dict[str, str]:
        """Ids first; then the aliases a user's file declares, before the tool vocabulary's, so a
        user's own alias (say STS for a treatment of theirs) means what their file says."""
        records = list(records)
        index: dict[str, str] = {}
        for record in records:
            index.setdefault(fold(record.id), record.id)
        for own in (True, False):
            for record in records:
                if (getattr(record, "origin", "") != model.TOOL_VOCABULARY) is own:
                    for name in names(record):
                        index.setdefault(fold(name), record.id)
        return index


def resolve(name: str, index: dict[str, str]) -> str | None:
    return index.get(fold(name))


def _memo(index: dict[str, str]):
    """resolve() against ``index``, each name folded and looked up once."""
    seen: dict[str, str | None] = {}

    def find(name: str) -> str | None:
        try:
            return seen[name]
        except KeyError:
            found = seen[name] = index.get(fold(name))
            return found

    return find


def _unknown(kind: str, name: str, known: Iterable[str], where: str) -> str:
    known = sorted(set(known))
    return f"unknown {kind} {name!r}{did_you_mean(name, known)} ({where})"


def resolve_names(merged: dict, places: Places, problems: Problems) -> None:
    """Replace aliases in studies, arms, later evidence and cases by the ids they name; report
    the rest at the field that holds them."""
    names = Names(merged)

    def add(section: str, key: str, field_name: str, message: str) -> None:
        places.report(problems, section, key, message, field_name)

    treatment_ids = [t.id for t in merged["treatments"].values()]
    for treatment in list(merged["treatments"].values()):
        if resolve(treatment.treatment_class, names.classes) is None:
            where = "declare it under 'classes', or see 'calcinosis terms class'"
            message = f"treatment {treatment.id!r} field 'class': " + _unknown(
                "class", treatment.treatment_class, merged["classes"], where
            )
            add("treatments", treatment.id, "class", message)
        else:
            cls = resolve(treatment.treatment_class, names.classes)
            merged["treatments"][treatment.id] = treatment._replace(treatment_class=cls)
    # A large dataset names the same few treatments and diagnoses again and again: each name is
    # folded and looked up once.
    find_treatment = _memo(names.treatments)
    find_received = _memo(names.received)
    find_diagnosis = _memo(names.diagnoses)
    for study in list(merged["studies"].values()):
        changes: dict[str, object] = {}
        resolved = find_treatment(study.treatment)
        if resolved is None:
            where = "define it under 'treatments', or see 'calcinosis terms treatment'"
            add(
                "studies",
                study.id,
                "treatment",
                f"study {study.id!r} field 'treatment': "
                + _unknown("treatment", study.treatment, treatment_ids, where),
            )
        elif resolved != study.treatment:
            changes["treatment"] = resolved
        diagnoses = []
        for term in study.diagnoses:
            found = find_diagnosis(term)
            if found is None:
                where = "define it under 'diagnoses', or see 'calcinosis terms diagnosis'"
                add(
                    "studies",
                    study.id,
                    "diagnoses",
                    f"study {study.id!r} field 'diagnoses': " + _unknown("diagnosis", term, merged["diagnoses"], where),
                )
            diagnoses.append(found or term)
        diagnoses = list(dict.fromkeys(diagnoses))  # an alias and its term are one diagnosis
        if tuple(diagnoses) != study.diagnoses:
            changes["diagnoses"] = tuple(diagnoses)
        if study.arms:
            arms = []
            for number, arm in enumerate(study.arms, 1):
                received = find_received(arm.received)
                if received is None:
                    known = [*treatment_ids, *model.CONTROLS]
                    where = f"a treatment, or one of: {', '.join(model.CONTROLS)}"
                    message = f"study {study.id!r} arm {number} field 'received': " + _unknown(
                        "treatment", arm.received, known, where
                    )
                    add("studies", study.id, "arms", message)
                arms.append(arm._replace(received=received or arm.received))
            if tuple(arms) != study.arms:
                changes["arms"] = tuple(arms)
        if changes:
            merged["studies"][study.id] = study._replace(**changes)

    def ids(entry: model.LaterEvidence, field: str, kind: str, index: dict[str, str], known) -> list[str]:
        """The ids that ``entry``'s names in ``field`` stand for; each unknown name reported."""
        out = []
        for name in getattr(entry, field):
            found = resolve(name, index)
            if found is None:
                where = f"see 'calcinosis terms {kind}'"
                add(
                    "later_evidence",
                    entry.id,
                    field,
                    f"later evidence {entry.id!r} field {field!r}: " + _unknown(kind, name, known, where),
                )
            out.append(found or name)
        return list(dict.fromkeys(out))  # warfarin and coumadin are one treatment

    for entry in list(merged["later_evidence"].values()):
        label = f"later evidence {entry.id!r}"
        changes = {}
        treatments = ids(entry, "treatments", "treatment", names.treatments, treatment_ids)
        classes = ids(entry, "classes", "class", names.classes, merged["classes"])
        if tuple(treatments) != entry.treatments or tuple(classes) != entry.classes:
            changes.update(treatments=tuple(treatments), classes=tuple(classes))
        if entry.scope is not None:
            found = resolve(entry.scope, names.diagnoses)
            if found is None:
                add(
                    "later_evidence",
                    entry.id,
                    "scope",
                    f"{label} field 'scope': "
                    + _unknown("diagnosis", entry.scope, merged["diagnoses"], "a scope is a diagnosis term"),
                )
            elif found != entry.scope:
                changes["scope"] = found
        if changes:
            merged["later_evidence"][entry.id] = entry._replace(**changes)

    # A case's prior treatments are treatments or classes ("oral calcium channel blockers").
    prior_names = {**names.classes, **names.treatments}
    for key, case in list(merged["cases"].items()):
        prior = []
        for name in case.prior_treatments:
            found = resolve(name, prior_names)
            if found is None:
                where = "a treatment or class; see 'calcinosis terms treatment' and 'calcinosis terms class'"
                message = f"case {case.number} field 'prior_treatments': " + _unknown(
                    "treatment or class", name, [*treatment_ids, *merged["classes"]], where
                )
                add("cases", key, "prior_treatments", message)
            prior.append(found or name)
        prior = list(dict.fromkeys(prior))
        if tuple(prior) != case.prior_treatments:
            merged["cases"][key] = case._replace(prior_treatments=tuple(prior))
