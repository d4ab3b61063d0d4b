"""Edit a YAML file as a person would: change one value or add one entry, every other byte kept.

Round-trip libraries re-emit the whole file and move comments, quotes and
flow style about; these edits touch only the line of the key they change (or
add one line, or one `, key: value` inside a `{...}`), found through the
positions the loader records.
"""

from __future__ import annotations

import re

from ..core.load import Document
from ..util.errors import JourneymapError

_FLOW_VALUE = re.compile(r"(?P<before>\s*)(?P<value>[^,}\]#\s][^,}\]#]*?)(?P<after>\s*(?:[,}\]]|#|$))")
_BLOCK_VALUE = re.compile(r"(?P<before>\s*)(?P<value>[^#\s](?:[^#]*?[^#\s])?)?(?P<after>\s*(?:#.*)?)$")


class EditProblem(JourneymapError):
    """The file is not laid out in a way a one-line edit can change safely: a person should do it."""


def set_value(lines: list[str], document: Document, path: tuple, value: str) -> None:
    """Set the scalar at `path` (its key must exist) to `value`, written as given."""
    index, column = _key_place(document, path)
    line = lines[index]
    key_end = _after_key(line, column, str(path[-1]))
    rest = line[key_end:]
    flow = _in_flow(line, column)
    match = (_FLOW_VALUE if flow else _BLOCK_VALUE).match(rest)
    if not match or match["value"] is None:
        raise EditProblem(f"line {index + 1} has no value after `{path[-1]}:` to change")
    start, end = key_end + match.start("value"), key_end + match.end("value")
    lines[index] = line[:start] + value + line[end:]


def add_entry(lines: list[str], document: Document, mapping: tuple, key: str, value: str, after: str = "") -> None:
    """Add `key: value` to the mapping at `mapping` (which must exist), in its own style: as its last entry, or
    in a block mapping, right after its entry `after` when it has one (`value:` beside `name:`)."""
    index, column = _key_place(document, mapping) if mapping else (0, 0)
    line = lines[index]
    key_end = _after_key(line, column, str(mapping[-1])) if mapping else 0
    opening = line.find("{", key_end)
    if mapping and opening >= 0 and line[key_end:opening].strip() == "":  # `history: {a: 1}`: flow style
        closing = _closing_brace(line, opening)
        inside = line[opening + 1:closing].strip()
        joined = f"{', ' if inside else ''}{key}: {value}"
        lines[index] = line[:closing].rstrip() + joined + line[closing:] if inside else \
            line[:opening + 1] + f"{key}: {value}" + line[closing:]
        return
    children = {child[-1]: (place[0] - 1, place[1] - 1) for child, place in document.positions.items()
                if len(child) == len(mapping) + 1 and child[:len(mapping)] == mapping}  # key: 0-based line, column
    if not children:
        raise EditProblem(f"`{mapping[-1]}:` on line {index + 1} has no entries to line a new one up with")
    entry = " " * min(col for _, col in children.values()) + f"{key}: {value}\n"
    after_line = children[after][0] if after in children else len(lines)
    following = sorted(line for line, _ in children.values() if line > after_line)
    if following:  # before the key that follows `after`: never inside a value of several lines
        lines.insert(following[0], entry)
        return
    lines.insert(max(_last_line(document, mapping + (child_key,)) for child_key in children) + 1, entry)


def _key_place(document: Document, path: tuple) -> tuple[int, int]:
    if path not in document.positions:
        raise EditProblem(f"`{'.'.join(map(str, path))}` is not in {document.file}")
    line, column = document.positions[path]
    return line - 1, column - 1


def _after_key(line: str, column: int, key: str) -> int:
    """The position just after `key:` on a line (the key's own quotes allowed)."""
    match = re.compile(r"""['"]?""" + re.escape(key) + r"""['"]?\s*:""").match(line, column)
    if not match:
        raise EditProblem(f"`{key}:` is not where the loader saw it: {line.strip()}")
    return match.end()


def _in_flow(line: str, column: int) -> bool:
    before = line[:column]
    return before.count("{") > before.count("}")


def _closing_brace(line: str, opening: int) -> int:
    depth = 0
    for position in range(opening, len(line)):
        depth += {"{": 1, "}": -1}.get(line[position], 0)
        if depth == 0:
            return position
    raise EditProblem("a `{` that does not close on its own line")


def _last_line(document: Document, path: tuple) -> int:
    """The last line (0-based) any value under `path` occupies."""
    size = len(path)
    return max(line for place, (line, _) in document.positions.items() if place[:size] == path) - 1
