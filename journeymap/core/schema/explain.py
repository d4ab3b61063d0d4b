"""A schema error in the words of the map: what is wrong, where, and what to write instead.

jsonschema's own messages speak of instances and validators; each explanation here reads one kind of
error (by the validator that raised it) and says what a person editing the file should do.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...util.numbers import read_number
from ...util.suggest import closest
from ..findings import SCHEMA, Fix
from ..load import Document, Problem
from .format import ISO_DATE, LOGO_PATTERN


@dataclass(frozen=True)
class _Error:
    """One jsonschema error in the document it was found in."""

    error: Any
    document: Document

    @property
    def path(self) -> tuple:
        return tuple(self.error.absolute_path)

    @property
    def where(self) -> str:
        return _name(self.path)

    @property
    def instance(self) -> Any:
        return self.error.instance

    @property
    def schema(self) -> dict:
        return self.error.schema

    def problem(self, message: str, at: tuple | None = None, old: str = "", new: str = "") -> Problem:
        location = self.document.at(*(self.path if at is None else at))
        fix = Fix(location.line, old, new) if old and new and location.line else None
        return Problem(SCHEMA, location, message, fix)


#: an explanation: the problems one error stands for, or None when it has nothing better than jsonschema's
Explanation = Callable[[_Error], "list[Problem] | None"]


def explain(error: Any, document: Document) -> list[Problem]:
    """The problems a jsonschema error stands for, explained by its validator when one is known."""
    found = _Error(error, document)
    explanation = _EXPLANATIONS.get(error.validator)
    explained = explanation(found) if explanation else None
    return [found.problem(f"{found.where}: {error.message}")] if explained is None else explained


def _unknown_keys(found: _Error) -> list[Problem] | None:
    if not isinstance(found.instance, dict):
        return None
    known = sorted(found.schema.get("properties", {}))
    unknown = [key for key in found.instance if key not in found.schema.get("properties", {})]
    problems = []
    for key in unknown:
        close = closest(str(key), known)
        safe = close is not None and close not in found.instance  # renaming onto a key that exists would repeat it
        problems.append(found.problem(_unknown_key(key, known, found.where), found.path + (key,), f"{key}:",
                                      f"{close}:" if safe else ""))
    return problems


def _missing(found: _Error) -> list[Problem]:
    missing = found.error.message.split("'")[1]
    hint = found.schema.get("properties", {}).get(missing, {}).get("description", "")
    hint = f" ({hint})" if hint else ""
    return [found.problem(f"{found.where} is missing `{missing}`: add `{missing}:`{hint}")]


def _not_allowed(found: _Error) -> list[Problem]:
    choices = [str(c) for c in found.error.validator_value if c is not False]
    close = closest(str(found.instance), choices)
    suggestion = f"did you mean `{close}`? " if close else ""
    return [found.problem(f"{found.where} is `{found.instance}`, not an allowed value: {suggestion}"
                          f"write one of {', '.join(choices)}", found.path, str(found.instance), close or "")]


def _wrong_type(found: _Error) -> list[Problem]:
    wanted = found.error.validator_value
    wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
    where, instance, schema = found.where, found.instance, found.schema
    if _not_finite(instance) and ("number" in wanted or "integer" in wanted):
        return [found.problem(_not_finite_message(where, instance, wanted, schema))]
    number = _number_written_as_text(instance) if "number" in wanted else None
    if number is not None:
        return [found.problem(f"{where} is `{instance}`: write the plain number `{number}` (units go in `unit:`; "
                              "a percentage as a fraction with `unit: ratio`)", found.path, str(instance), number)]
    return [found.problem(f"{where} must be {_article(wanted)}, not {_type_of(instance)}: "
                          f"{_type_hint(wanted, found.path, schema.get('description', ''))}")]


def _unmatched(found: _Error) -> list[Problem] | None:
    if found.error.validator_value == LOGO_PATTERN:
        return [found.problem(f"{found.where} is `{found.instance}`: name a PNG, JPEG, WebP or GIF file inside "
                              "the map folder, e.g. `logo: assets/logo.png` (no `..`, no SVG: it can hold script)")]
    if found.error.validator_value != ISO_DATE:
        return None
    return [found.problem(f"{found.where} is `{found.instance}`, not an ISO date: write it as YYYY-MM-DD, "
                          "e.g. 2026-10-01")]


def _empty(found: _Error) -> list[Problem]:
    path = found.path
    return [found.problem(f"{found.where} is empty: list at least one, e.g. `{path[-1] if path else 'stages'}: "
                          "[trigger, research]`")]


def _no_calendar_date(found: _Error) -> list[Problem]:
    return [found.problem(f"{found.where} is `{found.instance}`, which is no calendar date: write a real date as "
                          "YYYY-MM-DD")]


def _too_long(found: _Error) -> list[Problem]:
    return [found.problem(f"{found.where} is {len(found.instance):,} characters long, more than the "
                          f"{found.error.validator_value:,} a diagram can draw (Graphviz refuses a text of 16,384 "
                          "bytes, and a label joins several): shorten it, and put the detail in `description:`")]


def _out_of_range(found: _Error) -> list[Problem]:
    schema = found.schema
    low, high = schema.get("minimum"), schema.get("maximum")
    allowed = f"from {low:,} to {high:,}" if low is not None and high is not None else (
        f"of at least {low:,}" if low is not None else f"of at most {high:,}")
    return [found.problem(f"{found.where} is {found.instance}: write a value {allowed}"
                          + (f" ({schema['description']})" if schema.get("description") else ""))]


#: the explanation of each validator's errors; any other validator's error keeps jsonschema's message
_EXPLANATIONS: dict[str, Explanation] = {
    "additionalProperties": _unknown_keys, "required": _missing, "enum": _not_allowed, "type": _wrong_type,
    "pattern": _unmatched, "minItems": _empty, "format": _no_calendar_date, "maxLength": _too_long,
    "minimum": _out_of_range, "maximum": _out_of_range,
}


def _not_finite(value: Any) -> bool:
    """`.inf`, `-.inf`, `.nan` (YAML's spellings) or `1.0e+999`, kept as text by the loader: no figure."""
    if not isinstance(value, str):
        return False
    text = value.strip().lower().replace(".inf", "inf").replace(".nan", "nan")
    try:
        return not math.isfinite(float(text))
    except ValueError:
        return False


def _not_finite_message(where: str, instance: str, wanted: str, schema: dict) -> str:
    whole = "integer" in wanted and "number" not in wanted
    example = 90 if whole else 1200
    if schema.get("maximum") is not None and schema["maximum"] < example:  # emotion: -2..2
        example = schema["maximum"]
    about = f" — {schema['description']}" if schema.get("description") else ""
    return (f"{where} is `{instance}`, which is no figure: write a finite {'whole ' if whole else ''}number, "
            f"e.g. {example}{about}")


def _number_written_as_text(value: Any) -> str | None:
    """`45%` → 0.45, `12,000` → 12000, `1 200` → 1200: what spreadsheets and people write for a number."""
    read = read_number(value) if isinstance(value, str) else None
    if read is None:
        return None
    number, percent = read
    if percent:
        number /= 100
    return f"{number:g}" if abs(number) < 1e15 else None


def _unknown_key(key: str, known: list[str], where: str) -> str:
    close = closest(str(key), known)
    hint = f"did you mean `{close}`?" if close else f"known keys are {', '.join(known)}"
    return (f"unknown key `{key}` in {where}: {hint} "
            "(put free-form additions under `meta:`)")


def _name(path: tuple) -> str:
    if not path:
        return "the file"
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return f"`{text}`"


def _article(type_name: str) -> str:
    return {"object": "a mapping", "array": "a list", "string": "text", "number": "a number",
            "integer": "a whole number"}.get(type_name, type_name)


def _type_of(value: Any) -> str:
    if value is None:
        return "empty"
    return {dict: "a mapping", list: "a list", str: f"text `{value}`", bool: f"`{value}`".lower()}.get(
        type(value), f"`{value}`")


def _type_hint(wanted: str, path: tuple, description: str = "") -> str:
    if wanted in ("number", "integer") and description:  # "days between reviews (default 90)" is the better example
        return f"write a plain {'whole ' if wanted == 'integer' else ''}number: {description}"
    return {
        "array": f"write a list, e.g. `{path[-1] if path else 'items'}: [a, b]`",
        "object": "write a mapping of `key: value` lines, indented below" if path else
                  "write its fields as `key: value` lines, one a line from the first column, e.g. `name: …`",
        "number": "write a plain number without units, e.g. 120 or 0.22",
        "integer": "write a whole number, e.g. 2",
        "string": "write text; quote it if it starts with a special character",
    }.get(wanted.split(" or ")[0], "fix the value")
