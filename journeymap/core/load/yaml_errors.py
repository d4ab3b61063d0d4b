"""YAML slips explained as the fix, not as the parser's words.

"mapping values are not allowed in this context" means nothing to a growth
marketer; `name: Pricing page: reads plans` does: the value holds `: ` and
needs quotes. Each known cause gets a plain sentence and, where the fix is
mechanical, the corrected line (also offered to `check --fix`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

import yaml

from ..findings import Fix

_KEY_VALUE = re.compile(r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[^\s:#'\"][^:#]*?):\s+(?P<value>.*?)$")
_NO_SPACE_AFTER_COLON = re.compile(r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s:/].*)$")
_NO_SPACE_AFTER_DASH = re.compile(r"^(?P<indent>\s*)-(?P<rest>[^\s-].*)$")


@dataclass(frozen=True)
class Explained:
    line: int  # 1-based, in the text parsed
    column: int
    message: str
    fix: Fix | None = None


def explain(error: yaml.MarkedYAMLError, text: str) -> Explained:
    """The plain reason for a syntax error, at the line a person would fix."""
    lines = text.splitlines() or [""]
    mark = error.problem_mark or error.context_mark
    line = mark.line if mark else 0
    column = (mark.column + 1) if mark else 1
    problem, context = error.problem or "", error.context or ""
    context_line = error.context_mark.line if error.context_mark else line
    for explainer in (_tab, _colon_in_value, _dash_above, _deeper_indent, _missing_space, _unclosed_quote,
                      _unclosed_bracket, _special_first_character):
        found = explainer(lines, line, context_line, problem, context)
        if found is not None:  # on the parser's own line, its column is the more precise place
            return replace(found, column=column) if found.line == line + 1 else found
    what = " ".join(part for part in (context, problem) if part)
    return Explained(line + 1, column, f"not valid YAML ({what}) in `{_at(lines, line).strip()}`: check the "
                                       "indentation, quotes and colons of this line and the one above")


def _at(lines: list[str], index: int) -> str:
    return lines[index] if 0 <= index < len(lines) else ""


def _rewrite(index: int, old: str, new: str, why: str) -> Explained:
    return Explained(index + 1, 1, f"{why}: write `{new.strip()}`", Fix(index + 1, old, new))


def _tab(lines: list[str], line: int, context_line: int, problem: str, context: str) -> Explained | None:
    for index in (line, context_line):
        text = _at(lines, index)
        indent = text[:len(text) - len(text.lstrip())]
        if "\t" in indent:
            fixed = " " * _sibling_indent(lines, index, indent) + text.lstrip()
            return _rewrite(index, text, fixed, "this line is indented with a tab; YAML indents with spaces only")
    return None


def _sibling_indent(lines: list[str], index: int, indent: str) -> int:
    """Where a tab-indented line belongs: beside the key above it, or inside it when that key opens a block."""
    above = next((_at(lines, i) for i in range(index - 1, -1, -1) if _at(lines, i).strip()), "")
    if not above or "\t" in above[:len(above) - len(above.lstrip())]:
        return len(indent.replace("\t", "  "))
    match = re.match(r"^(\s*)(-\s+)?", above)
    assert match is not None
    column = len(match[1]) + len(match[2] or "")
    return column + 2 if above.rstrip().endswith(":") else column


def _colon_in_value(lines: list[str], line: int, context_line: int, problem: str,
                    context: str) -> Explained | None:
    if "mapping values are not allowed" not in problem:
        return None
    text = _at(lines, line)
    match = _KEY_VALUE.match(text)
    if not match or ": " not in match["value"]:
        return None
    quoted = f"{match['indent']}{match['key']}: {_quote(match['value'])}"
    return _rewrite(line, text, quoted, f"the value of `{match['key'].strip()}` holds `: `, which YAML reads as a "
                                        "new key; put the value in quotes")


def _dash_above(lines: list[str], line: int, context_line: int, problem: str, context: str) -> Explained | None:
    """`-id: x` then its other keys: the parser trips on the second line; the cause is the missing space above."""
    if "mapping values are not allowed" not in problem:
        return None
    index = next((i for i in range(line - 1, -1, -1) if _at(lines, i).strip()), -1)
    text = _at(lines, index)
    dash = _NO_SPACE_AFTER_DASH.match(text)
    if index < 0 or not dash:
        return None
    return _rewrite(index, text, f"{dash['indent']}- {dash['rest']}", "a list item needs a space after its `-`")


def _deeper_indent(lines: list[str], line: int, context_line: int, problem: str,
                   context: str) -> Explained | None:
    if "mapping values are not allowed" not in problem:
        return None
    text = _at(lines, line)
    above = next((_at(lines, i) for i in range(line - 1, -1, -1) if _at(lines, i).strip()), "")
    indent, above_indent = len(text) - len(text.lstrip()), len(above) - len(above.lstrip())
    above_key = _KEY_VALUE.match(above)
    if indent <= above_indent or not above_key:
        return None
    key_indent = len(above_key["indent"])
    fixed = " " * key_indent + text.lstrip()
    return _rewrite(line, text, fixed, f"this line is indented more than `{above_key['key'].strip()}:` above it, "
                                       f"which already has a value; line it up with that key ({key_indent} spaces)")


def _missing_space(lines: list[str], line: int, context_line: int, problem: str, context: str) -> Explained | None:
    if "could not find expected ':'" not in problem:
        return None
    text = _at(lines, context_line)
    dash = _NO_SPACE_AFTER_DASH.match(text)
    if dash:
        return _rewrite(context_line, text, f"{dash['indent']}- {dash['rest']}",
                        "a list item needs a space after its `-`")
    colon = _NO_SPACE_AFTER_COLON.match(text)
    if colon:
        return _rewrite(context_line, text, f"{colon['indent']}{colon['key']}: {colon['value']}",
                        f"`{colon['key']}:` needs a space after the colon")
    return Explained(context_line + 1, 1, f"`{text.strip()}` is neither `key: value` nor a list item `- value`: "
                                          "add the missing `: ` or `- `, or quote the text")


def _unclosed_quote(lines: list[str], line: int, context_line: int, problem: str,
                    context: str) -> Explained | None:
    if "quoted scalar" not in context:
        return None
    text = _at(lines, context_line)
    stripped = text.rstrip()
    quote = next((q for q in ('"', "'") if stripped.count(q) % 2 == 1), None)
    if quote is None:
        return Explained(context_line + 1, 1, "a quote opened on this line is never closed: close it where the "
                                              "value ends")
    return _rewrite(context_line, text, stripped + quote, f"the {quote} opened on this line is never closed")


def _unclosed_bracket(lines: list[str], line: int, context_line: int, problem: str,
                      context: str) -> Explained | None:
    closing = {"flow sequence": "]", "flow mapping": "}"}
    kind = next((k for k in closing if k in context), None)
    if kind is None:
        return None
    text = _at(lines, context_line)
    opening = "[" if closing[kind] == "]" else "{"
    if text.count(opening) > text.count(closing[kind]):
        closed = _rewrite(context_line, text, text.rstrip() + closing[kind],
                          f"the `{opening}` opened on this line is never closed")
        match = _KEY_VALUE.match(text)
        if match and match["value"] and match["value"].startswith(opening):  # or was it text starting with `[`?
            quoted = f"{match['key']}: {_quote(match['value'])}"
            return replace(closed, message=f"{closed.message}, or `{quoted}` if the `{opening}` is part of the text")
        return closed
    return Explained(context_line + 1, 1, f"the `{opening}` opened on this line is not closed where it should be: "
                                          f"separate items with `, ` and end with `{closing[kind]}`")


def _special_first_character(lines: list[str], line: int, context_line: int, problem: str,
                             context: str) -> Explained | None:
    if not ("cannot start any token" in problem or "scanning an alias" in context or "anchor" in context):
        return None
    text = _at(lines, line)
    match = _KEY_VALUE.match(text)
    if not match or not match["value"] or match["value"][0] not in "@`%*&!|>":
        return None
    fixed = f"{match['indent']}{match['key']}: {_quote(match['value'])}"
    return _rewrite(line, text, fixed, f"a value cannot start with `{match['value'][0]}` unquoted")


def _quote(value: str) -> str:
    """A value as a double-quoted YAML scalar (JSON's string syntax is valid YAML), its comment kept outside."""
    match = re.match(r"^(?P<value>.*?)(?P<comment>\s+#.*)?$", value)
    assert match is not None  # the pattern matches any text
    return json.dumps(match["value"].strip(), ensure_ascii=False) + (match["comment"] or "")
