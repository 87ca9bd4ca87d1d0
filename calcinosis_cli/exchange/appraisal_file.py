"""One appraisal written into the user's data file, keeping everything the file held (comments
and layout too): the entry's lines are added at the end of its ``appraisals:`` list (the
section is added if missing), or, with ``replace``, put where the entry they replace stood.
The text is edited, not re-dumped, so a diff shows the one entry."""

from __future__ import annotations

import json

from .. import model
from ..errors import DataError, UsageError


def entry_lines(entry: model.Appraisal, indent: int) -> list[str]:
    """The entry as block YAML, its dash at column ``indent``; every text double-quoted."""
    pad, inner = " " * indent, " " * (indent + 2)

    def q(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    out = [f"{pad}- study: {q(entry.study)}", f"{inner}tool: {q(entry.tool)}", f"{inner}reviewer: {q(entry.reviewer)}"]
    out += [f"{inner}date: {q(entry.date)}", f"{inner}answers:"]
    for answer in entry.answers:
        if answer.support:
            out.append(f"{inner}  {answer.item}: {{answer: {q(answer.answer)}, support: {q(answer.support)}}}")
        else:
            out.append(f"{inner}  {answer.item}: {q(answer.answer)}")
    if entry.overall is not None:
        out.append(f"{inner}overall: {q(entry.overall)}")
    if entry.overall_reason:
        out.append(f"{inner}overall_reason: {q(entry.overall_reason)}")
    return out


def _scalar(node, key: str) -> str | None:
    from ..dataset.tree import Mapping, Scalar

    if isinstance(node, Mapping) and key in node.items and isinstance(node.items[key][1], Scalar):
        return node.items[key][1].value
    return None


def with_appraisal(path: str, data: bytes | None, entry: model.Appraisal, replace: bool = False) -> bytes:
    """The bytes of ``path`` (``data``; None for a new file) with ``entry`` written in."""
    from ..dataset.tree import Mapping, Scalar, Sequence
    from ..dataset.yamlsafe import YamlInputError, parse_yaml

    if data is None or not data.strip():
        return ("appraisals:\n" + "\n".join(entry_lines(entry, 2)) + "\n").encode("utf-8")
    try:
        text = data.decode("utf-8")
        root = parse_yaml(data, path)
    except UnicodeDecodeError:
        raise DataError(f"{path}: the file is not UTF-8 text; appraisals are written into a YAML data file") from None
    except YamlInputError as err:
        raise DataError(f"{path}:{err.line}:{err.column}: {err.message}") from None
    if not isinstance(root, Mapping):
        raise DataError(f"{path}: the file must be a mapping of sections to take an appraisal")
    lines = text.splitlines()
    if "appraisals" not in root.items:
        tail = [""] if lines and lines[-1].strip() else []
        lines += [*tail, "appraisals:", *entry_lines(entry, 2)]
        return ("\n".join(lines) + "\n").encode("utf-8")
    key_node, section = root.items["appraisals"]
    if isinstance(section, Scalar) and section.null or isinstance(section, Sequence) and not section.items:
        if isinstance(section, Sequence) and section.line != key_node.line:
            raise DataError(f"{path}:{section.line}: write the appraisals section as a block list to add to it")
        lines[key_node.line - 1 : key_node.line] = ["appraisals:", *entry_lines(entry, 2)]
        return ("\n".join(lines) + "\n").encode("utf-8")
    if not isinstance(section, Sequence) or section.line == key_node.line:
        raise DataError(
            f"{path}:{section.line}:{section.column}: the appraisals section must be a block list "
            "(one '- study: ...' entry after another) for an appraisal to be added"
        )
    # Where the section ends: the next line at column 1 that is neither blank nor a comment.
    end = len(lines)
    for number in range(section.items[-1].line, len(lines)):
        line = lines[number]
        if line and not line[0].isspace() and not line.startswith("#"):
            end = number
            break
    while end > section.items[-1].line and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    indent = max(0, section.items[0].column - 3)  # the dash stands two columns before the mapping
    new = entry_lines(entry, indent)
    wanted = (entry.study, entry.tool, entry.reviewer)
    for index, item in enumerate(section.items):
        if tuple(_scalar(item, k) for k in ("study", "tool", "reviewer")) != wanted:
            continue
        if not replace:
            raise UsageError(
                f"{path}:{item.line} already holds the appraisal of {entry.study} with {entry.tool} by "
                f"{entry.reviewer}; add --force to replace it"
            )
        stop = section.items[index + 1].line - 1 if index + 1 < len(section.items) else end
        while stop > item.line and (not lines[stop - 1].strip() or lines[stop - 1].lstrip().startswith("#")):
            stop -= 1
        lines[item.line - 1 : stop] = new
        return ("\n".join(lines) + "\n").encode("utf-8")
    lines[end:end] = new
    return ("\n".join(lines) + "\n").encode("utf-8")
