"""The `certainty:` section of a data file: the converters of its fields and its checks across
records. A level changed with no reason, an unknown reason and a rating up of evidence rated
down for risk of bias are refused, each at its file and line. The spec is specs.CERTAINTY_SPEC.
"""

from __future__ import annotations

import datetime

from ..errors import Problems
from ..model.certainty import DOWN_REASONS, UP_REASONS, Judgement, RatedDown, RatedUp
from .fields import Context, Converter, Field, Invalid, Spec, convert_record, describe, optional_text, text
from .places import Places
from .resolve import Names, _unknown, resolve
from .tree import Mapping, Node, Scalar

# GRADE's rule, cited where validate refuses a rating up (README "Certainty" cites it too).
RATE_UP_RULE = (
    "GRADE rates up only evidence with no serious risk of bias (Guyatt et al, GRADE guidelines 9, "
    "J Clin Epidemiol 2011;64:1311-6)"
)


def level_change(direction: str) -> Converter:
    """Levels moved by one reason: 0, -1 or -2 to rate down ("down"); 0, +1 or +2 to rate up."""
    allowed = {"0": 0, "-1": -1, "-2": -2} if direction == "down" else {"0": 0, "1": 1, "+1": 1, "2": 2, "+2": 2}
    shown = "0, -1 or -2" if direction == "down" else "0, +1 or +2"

    def convert(node: Node, ctx: Context) -> int:
        if not isinstance(node, Scalar) or node.null or not node.plain or node.value not in allowed:
            got = describe(node) if not isinstance(node, Scalar) or node.plain else f"the quoted text {node.value!r}"
            raise Invalid(node, f"rating {direction} takes {shown} (levels), got {got}")
        return allowed[node.value]

    convert.json_schema = {"enum": sorted(set(allowed.values()))}  # type: ignore[attr-defined]
    return convert


def judgement_spec(direction: str) -> Spec:
    moves = "-1 or -2" if direction == "down" else "+1 or +2"
    down = direction == "down"
    return {
        "change": Field(
            "change", level_change(direction), True, f"levels rated {direction}: {moves}, or 0", -1 if down else 0
        ),
        "reason": Field(
            "reason",
            optional_text,
            False,
            "why, in words (required when the level changes; shown as a note under the Summary of Findings)",
            "Case series without a control group" if down else "One dose only",
        ),
    }


def judgement(direction: str, words: str, label: str) -> Converter:
    """One reason's judgement (a mapping of change and reason); a change with no reason is refused."""
    spec = judgement_spec(direction)

    def convert(node: Node, ctx: Context) -> Judgement:
        if isinstance(node, Scalar) and node.null:
            return Judgement()
        if not isinstance(node, Mapping):
            raise Invalid(node, f"expected a mapping of change and reason, got {describe(node)}")
        fields = convert_record(node, spec, ctx, label)
        if fields is None:
            raise Invalid(node, "")  # its problems are already recorded
        found = Judgement(**fields)  # type: ignore[arg-type]
        if found.change and found.reason is None:
            levels = "1 level" if abs(found.change) == 1 else f"{abs(found.change)} levels"
            raise Invalid(node, f"rated {direction} {levels} for {words} with no reason; write why under 'reason'")
        return found

    convert.spec = spec  # type: ignore[attr-defined]
    convert.cls = Judgement  # type: ignore[attr-defined]
    return convert


def reasons(direction: str) -> Converter:
    """The mapping of reasons to rate down (or up); an omitted reason is 0, an unknown one refused."""
    words = DOWN_REASONS if direction == "down" else UP_REASONS
    other, other_key = (UP_REASONS, "rated_up") if direction == "down" else (DOWN_REASONS, "rated_down")
    cls = RatedDown if direction == "down" else RatedUp
    spec: Spec = {
        key: Field(
            key,
            judgement(direction, word, f"rated_{direction}.{key}"),
            False,
            f"{word}: rated {direction} by how many levels, and why",
            {"change": -1, "reason": "Case series without a control group"}
            if direction == "down"
            else {"change": 0, "reason": "One dose only"},
        )
        for key, word in words.items()
    }

    def convert(node: Node, ctx: Context):
        if isinstance(node, Scalar) and node.null:
            return cls()
        if not isinstance(node, Mapping):
            raise Invalid(node, f"expected a mapping of reasons ({', '.join(words)}), got {describe(node)}")
        misplaced = {k for k in node.items if k in other}
        for key in misplaced:
            where = "up" if direction == "down" else "down"
            ctx.add(
                node.items[key][0],
                f"rated_{direction}: {key!r} is a reason to rate {where}; it belongs under {other_key!r}",
            )
        rest = Mapping({k: v for k, v in node.items.items() if k not in misplaced}, node.line, node.column)
        fields = convert_record(rest, spec, ctx, f"rated_{direction}")
        if fields is None or misplaced:
            raise Invalid(node, "")
        return cls(**fields)

    convert.spec = spec  # type: ignore[attr-defined]
    convert.cls = cls  # type: ignore[attr-defined]
    return convert


def iso_date(node: Node, ctx: Context) -> str:
    value = text(node, ctx)
    try:
        if len(value) != 10:
            raise ValueError
        datetime.date.fromisoformat(value)
    except ValueError:
        raise Invalid(node, f"expected a date of the form YYYY-MM-DD, got {value!r}") from None
    return value


iso_date.json_schema = {"type": "string", "format": "date"}  # type: ignore[attr-defined]


def check_certainty(merged: dict, places: Places, problems: Problems) -> None:
    """Each entry's scope names a treatment or a class (and maybe a diagnosis) that exists, each
    becoming its id; no entry is rated up when rated down for risk of bias."""
    names = Names(merged)

    def add(key: str, field: str, message: str) -> None:
        places.report(problems, "certainty", key, message, field)

    for key, entry in list(merged["certainty"].items()):
        label = f"certainty {entry.id!r}"
        changes: dict[str, object] = {}
        if (entry.treatment is None) == (entry.treatment_class is None):
            add(key, "treatment", f"{label}: give its scope as one treatment or one class (not both, not neither)")
        lookups = (
            ("treatment", "treatment", "treatment", names.treatments, "see 'calcinosis terms treatment'"),
            ("treatment_class", "class", "class", names.classes, "see 'calcinosis terms class'"),
            ("diagnosis", "diagnosis", "diagnosis", names.diagnoses, "see 'calcinosis terms diagnosis'"),
        )
        for attr, field, kind, index, where in lookups:
            value = getattr(entry, attr)
            if value is None:
                continue
            found = resolve(value, index)
            if found is None:
                add(key, field, f"{label} field {field!r}: " + _unknown(kind, value, set(index.values()), where))
            elif found != value:
                changes[attr] = found
        if entry.rated_down.risk_of_bias.change < 0:
            up = [UP_REASONS[k] for k, j in entry.rated_up._asdict().items() if j.change > 0]
            if up:
                add(
                    key,
                    "rated_up",
                    f"{label} field 'rated_up': rated up for {' and '.join(up)} although rated down for risk of "
                    f"bias; {RATE_UP_RULE}",
                )
        if changes:
            merged["certainty"][key] = entry._replace(**changes)


__all__ = ["RATE_UP_RULE", "check_certainty", "iso_date", "judgement", "level_change", "reasons"]
