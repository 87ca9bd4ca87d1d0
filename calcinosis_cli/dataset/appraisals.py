"""Checks of the appraisals once every file is read: the study exists, the tool is known (built
in or declared), every item of the tool is answered from its answer set, and no item is
answered that the tool lacks. Each problem is one line at the file, line and item at fault.
One appraisal per study, tool and reviewer is the loader's duplicate check (its key)."""

from __future__ import annotations

from ..errors import Problems
from ..words import did_you_mean
from .places import Places
from .tree import Mapping


def check_appraisals(merged: dict, places: Places, problems: Problems) -> None:
    from ..appraisal.tools import tools_of

    tools = tools_of(merged["tools"])
    for key, tool in merged["tools"].items():
        numbers = [item.number for item in tool.items]
        doubled = sorted({n for n in numbers if numbers.count(n) > 1})
        if doubled:
            places.report(problems, "tools", key, f"tool {tool.id!r} field 'items': item {doubled[0]} is listed twice")
        if not tool.answers:
            places.report(problems, "tools", key, f"tool {tool.id!r} field 'answers': the answer set is empty")
    studies = merged["studies"]
    for key, entry in merged["appraisals"].items():
        path, node = places.first("appraisals", key)
        label = f"appraisal of {entry.study!r} by {entry.reviewer!r}"

        def at(field: str, node=node):
            return node.items[field][1] if isinstance(node, Mapping) and field in node.items else node

        if entry.study not in studies:
            hint = did_you_mean(entry.study, list(studies))
            problems.at(path, at("study"), f"{label} field 'study': unknown study {entry.study!r}{hint}")
        tool = tools.get(entry.tool)
        if tool is None:
            hint = did_you_mean(entry.tool, list(tools))
            known = ", ".join(tools)
            problems.at(path, at("tool"), f"{label} field 'tool': unknown tool {entry.tool!r}{hint} (known: {known})")
            continue
        answers_node = at("answers")
        items = {item.number for item in tool.items}
        given = {a.item for a in entry.answers}
        for answer in entry.answers:
            where = answers_node.items.get(str(answer.item)) if isinstance(answers_node, Mapping) else None
            if answer.item not in items:
                numbers = f"{min(items)}-{max(items)}" if items else "none"
                problems.at(
                    path,
                    where[0] if where else answers_node,
                    f"{label} field 'answers': item {answer.item}: {tool.id} has no item {answer.item} "
                    f"(items {numbers})",
                )
            elif answer.answer not in tool.answers:
                value = where[1] if where else answers_node
                if isinstance(value, Mapping) and "answer" in value.items:
                    value = value.items["answer"][1]
                problems.at(
                    path,
                    value,
                    f"{label} field 'answers': item {answer.item}: {answer.answer!r} is not an answer of {tool.id} "
                    f"(one of: {', '.join(tool.answers)}){did_you_mean(answer.answer, tool.answers)}",
                )
        missing = sorted(items - given)
        if missing:
            which = f"item {missing[0]} is" if len(missing) == 1 else f"items {', '.join(map(str, missing))} are"
            problems.at(
                path,
                answers_node,
                f"{label} field 'answers': {which} not answered (answer every item, 'not applicable' where it "
                "does not apply)",
            )
