"""The format, described once as JSON Schema: validated here, and printed for editors.

Fields that a dedicated rule reports (a touchpoint's owner, a stage's job and
metrics, id slugs) are deliberately not `required` here, so each gap is
reported once, by the rule that explains it best.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

from ..util.suggest import closest
from .findings import Fix
from .load import Document, Problem
from .model import LABEL_CHARS, LARGEST_NUMBER

SCHEMA_URL = "https://json-schema.org/draft/2020-12/schema"
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"

_text = {"type": "string"}
#: text that reaches a diagram: Graphviz refuses the whole graph over a text too long (see model.LABEL_CHARS)
_label = {"type": "string", "maxLength": LABEL_CHARS}
_texts = {"type": "array", "items": {"type": "string"}}
_meta = {"type": "object", "description": "free-form additions; never checked"}


def _obj(properties: dict, required: tuple[str, ...] = (), description: str = "") -> dict:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {**properties, "meta": _meta},
        "additionalProperties": False,
    }
    if required:
        schema["required"] = list(required)
    if description:
        schema["description"] = description
    return schema


def _d(schema: dict, description: str) -> dict:
    return {**schema, "description": description}


def _date(description: str) -> dict:
    return {"type": "string", "pattern": ISO_DATE, "format": "date",
            "description": description + " (ISO date, YYYY-MM-DD)"}


def _figure(description: str, minimum: int = -LARGEST_NUMBER, kind: str = "number") -> dict:
    """A number a person writes: in range, so never `.inf` or `.nan` (the loader keeps those as text)."""
    return {"type": kind, "minimum": minimum, "maximum": LARGEST_NUMBER, "description": description}


def _ids(description: str) -> dict:
    return _d(_texts, description)


METRIC = _obj({
    "name": _d(_label, "what is counted, e.g. Demos booked"),
    "value": _figure("the figure for the current period"),
    "target": _figure("the figure you aim for"),
    "unit": _d(_text, "free text; `ratio` means a fraction shown as a percentage"),
    "better": {"enum": ["higher", "lower"],
               "description": "whether a higher or lower value is better (default higher)"},
    "source": _d(_text, "where the figure comes from, e.g. HubSpot"),
    "history": {"type": "object", "additionalProperties": _figure("the figure of a period"),
                "description": "period -> value, e.g. {2026-Q2: 104}"},
}, required=("name",), description="a stage metric")
METRIC["allOf"] = [{
    "if": {"properties": {"unit": {"const": "ratio"}}, "required": ["unit"]},
    "then": {"properties": {"value": {"minimum": 0}, "target": {"minimum": 0}}},
}]

TOUCHPOINT = _obj({
    "id": _d(_text, "a slug, unique across the map"),
    "name": _d(_label, "what the customer meets"),
    "owner": _d({"type": ["string", "null"], "maxLength": LABEL_CHARS}, "an owners.yaml id"),
    "description": _d(_text, "what happens at this touchpoint"),
    "channel": _d(_text, "free text, e.g. video call"),
    "initiator": {"enum": ["company", "customer", "third-party"], "description": "who starts the interaction"},
    "intent": {"enum": ["high", "medium", "low"], "description": "how close to buying this signal is"},
    "response_sla_hours": _figure("hours within which the owner responds", minimum=0),
    "source_system": _d(_text, "where the interaction is recorded, e.g. Salesforce"),
    "next": _ids("touchpoint ids this one hands on to"),
    "handoff": _d(_label, "how a change of owner is handled"),
}, required=("id", "name"), description="a touchpoint")

STAGE = _obj({
    "id": _d(_text, "a slug equal to the file name"),
    "name": _d(_label, "the stage's name"),
    "phase": _d(_text, "a phases id from journey.yaml"),
    "description": _d(_text, "what happens in this stage"),
    "job": _d({"type": ["string", "null"], "maxLength": LABEL_CHARS}, "the customer's job at this stage"),
    "milestone": _d(_text, "the customer's progress, not an internal KPI"),
    "emotion": {"type": "integer", "minimum": -2, "maximum": 2, "description": "-2..2, low..high"},
    "highs": _ids("what delights the customer here"),
    "lows": _ids("what frustrates the customer here"),
    "questions": _ids("what the customer keeps asking here"),
    "cycle_time_days": _figure("median days prospects spend here", minimum=0),
    "metrics": _obj({"volume": METRIC, "health": METRIC}, description="a volume and a health metric"),
    "evidence": _ids("evidence/*.md ids (file stems)"),
    "touchpoints": {"type": "array", "items": TOUCHPOINT, "description": "every interaction in this stage"},
}, required=("id", "name"), description="a stage of the journey")


def journey_schema(rule_ids: list[str]) -> dict:
    severity = {"enum": ["error", "warning", "info", "off", False]}
    return _obj({
        "title": _d(_text, "the map's title"),
        "description": _d(_text, "what this journey covers"),
        "persona": _d(_text, "a personas.yaml id"),
        "repo_url": _d(_text, "the repository, for 'edit this' links"),
        "edit_branch": _d(_text, "the branch that 'edit this' links open (default main)"),
        "templates": _d({"type": "string", "minLength": 1},
                        "your own templates folder, relative to this file and inside the repository (e.g. "
                        "`templates`); without it the bundled templates render the site, whatever templates/ "
                        "folder exists (docs/templates.md)"),
        "review": _obj({
            "cadence_days": _figure("days between reviews (default 90)", minimum=1, kind="integer"),
            "last_reviewed": _date("when the map was last reviewed"),
            "reviewers": _ids("who reviewed it"),
        }, required=("last_reviewed",), description="when the map is reviewed"),
        "phases": {"type": "array", "items": _obj({
            "id": _d(_text, "a slug"),
            "name": _d(_label, "the phase's name"),
            "goal": _d(_text, "the phase's primary goal"),
        }, required=("id", "name"), description="a phase"),
            "description": "optional groups of stages (awareness, decision, success), each with its goal"},
        "stages": {**_ids("the journey's stage ids, in order"), "minItems": 1},
        "checks": {"type": "object", "additionalProperties": False,
                   "properties": {rule: severity for rule in rule_ids},
                   "description": "per-rule severity: error | warning | info | off"},
    }, required=("title", "review", "stages"), description="the map itself: its title, review, phases and the "
                                                             "order of its stages")


OWNERS = _obj({"owners": {"type": "array", "items": _obj({
    "id": _d(_text, "a slug"),
    "name": _d(_label, "the team's name"),
    "department": _d(_text, "e.g. Marketing, Sales, Customer Success"),
    "lead": _d(_text, "who leads the team"),
    "contact": _d(_text, "e.g. a Slack channel"),
}, required=("id", "name", "department"), description="an owning team"),
    "description": "every team that owns a touchpoint, brief or experiment"}},
    required=("owners",), description="the teams that own touchpoints")

PERSONAS = _obj({"personas": {"type": "array", "items": _obj({
    "id": _d(_text, "a slug"),
    "name": _d(_text, "the persona's name"),
    "role": _d(_text, "job title"),
    "company": _d(_text, "the kind of company"),
    "description": _d(_text, "who they are"),
    "goals": _ids("what they want"),
    "pains": _ids("what stands in their way"),
}, required=("id", "name"), description="a persona"),
    "description": "the people who travel the journey"}},
    required=("personas",), description="who travels the journey")

EXPERIMENT = _obj({
    "id": _d(_text, "a slug"),
    "name": _d(_text, "a short title"),
    "stage": _d(_text, "a stage id"),
    "touchpoints": _ids("touchpoint ids"),
    "owner": _d(_text, "an owners.yaml id"),
    "hypothesis": _d(_text, "what you expect to change, and by how much"),
    "metric": {"enum": ["volume", "health"], "description": "which stage metric it moves"},
    "status": {"enum": ["proposed", "running", "won", "lost", "inconclusive"], "description": "where it stands"},
    "start": _date("start"),
    "end": _date("end"),
    "result": _d({"type": ["string", "null"]}, "Markdown"),
}, required=("id", "stage", "owner", "hypothesis", "metric", "status"), description="an experiment")

BRIEF = _obj({
    "title": _d(_text, "the campaign's title"),
    "stage": _d(_text, "a stage id"),
    "touchpoints": _ids("touchpoint ids"),
    "owner": _d(_text, "an owners.yaml id"),
    "status": {"enum": ["draft", "live", "done"], "description": "draft | live | done"},
}, required=("title", "stage"), description="a campaign brief's front matter")

EVIDENCE = _obj({
    "title": _d(_text, "what this evidence is"),
    "kind": {"enum": ["interview", "crm", "support", "survey", "analytics", "other"], "description": "its source"},
    "date": _date("when it was gathered"),
    "stages": _ids("stage ids it speaks to"),
    "source": _d(_text, "where the raw material lives"),
}, required=("title", "kind", "date"), description="an evidence note's front matter")


def schema_for(kind: str, rule_ids: list[str]) -> dict:
    schema = {
        "journey": lambda: journey_schema(rule_ids), "owners": lambda: OWNERS,
        "personas": lambda: PERSONAS, "stage": lambda: STAGE, "experiment": lambda: EXPERIMENT,
        "brief": lambda: BRIEF, "evidence": lambda: EVIDENCE,
    }[kind]()
    return {"$schema": SCHEMA_URL, "title": f"journeymap {kind}", **schema}


def validate(document: Document, rule_ids: list[str]) -> list[Problem]:
    """Each schema error becomes a `schema` problem at its own line.

    Most files of a large map are valid: a compiled validator (fastjsonschema) says
    so quickly, and only a file it rejects is walked by jsonschema, whose errors
    carry what the messages need. Both read the same schema; a test holds them in agreement.
    """
    try:
        _fast_validator(document.kind, tuple(rule_ids))(document.data)
        return []
    except Exception:  # noqa: BLE001 - any rejection (or a value it cannot judge) gets the full walk
        pass
    problems: dict = {}
    for error in _full_validator(document.kind, tuple(rule_ids)).iter_errors(document.data):
        for problem in _explain(error, document):
            problems.setdefault(problem.location, problem)  # one cause, one finding: a bad date is not two
    return list(problems.values())


def prepare_validators(rule_ids: list[str]) -> None:
    """Compile every kind's validator now: before forking workers, so each need not compile its own."""
    from .load import KINDS

    for kind in KINDS:
        _fast_validator(kind, tuple(rule_ids))


def _validators(kind: str, rule_ids: tuple[str, ...]) -> tuple[Callable[[Any], Any], Any]:
    """The compiled validator and the jsonschema one, of the same schema."""
    return _fast_validator(kind, rule_ids), _full_validator(kind, rule_ids)


@functools.cache
def _fast_validator(kind: str, rule_ids: tuple[str, ...]) -> Callable[[Any], Any]:
    import fastjsonschema

    schema = schema_for(kind, list(rule_ids))
    draft7 = {key: value for key, value in schema.items() if key != "$schema"}  # same keywords, draft-07 engine
    return fastjsonschema.compile(draft7)  # its `date` format checks the calendar too (2026-02-30)


@functools.cache
def _full_validator(kind: str, rule_ids: tuple[str, ...]) -> Any:
    """jsonschema (slow to import, slower to run) only for a file the compiled validator rejected."""
    from jsonschema import Draft202012Validator

    schema = schema_for(kind, list(rule_ids))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _explain(error: Any, document: Document) -> list[Problem]:
    path = tuple(error.absolute_path)
    where = _name(path)
    instance = error.instance
    schema = error.schema

    def problem(message: str, at: tuple = path, old: str = "", new: str = "") -> Problem:
        location = document.at(*at)
        fix = Fix(location.line, old, new) if old and new and location.line else None
        return Problem("schema", location, message, fix)

    if error.validator == "additionalProperties" and isinstance(instance, dict):
        known = sorted(schema.get("properties", {}))
        unknown = [key for key in instance if key not in schema.get("properties", {})]
        problems = []
        for key in unknown:
            close = closest(str(key), known)
            safe = close is not None and close not in instance  # renaming onto a key that exists would repeat it
            problems.append(problem(_unknown_key(key, known, where), path + (key,), f"{key}:",
                                    f"{close}:" if safe else ""))
        return problems
    if error.validator == "required":
        missing = error.message.split("'")[1]
        hint = schema.get("properties", {}).get(missing, {}).get("description", "")
        hint = f" ({hint})" if hint else ""
        return [problem(f"{where} is missing `{missing}`: add `{missing}:`{hint}")]
    if error.validator == "enum":
        choices = [str(c) for c in error.validator_value if c is not False]
        close = closest(str(instance), choices)
        suggestion = f"did you mean `{close}`? " if close else ""
        return [problem(f"{where} is `{instance}`, not an allowed value: {suggestion}"
                        f"write one of {', '.join(choices)}", path, str(instance), close or "")]
    if error.validator == "type":
        wanted = error.validator_value
        wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
        if _not_finite(instance) and ("number" in wanted or "integer" in wanted):
            return [problem(_not_finite_message(where, instance, wanted, schema))]
        number = _number_written_as_text(instance) if "number" in wanted else None
        if number is not None:
            return [problem(f"{where} is `{instance}`: write the plain number `{number}` (units go in `unit:`; "
                            "a percentage as a fraction with `unit: ratio`)", path, str(instance), number)]
        return [problem(f"{where} must be {_article(wanted)}, not {_type_of(instance)}: "
                        f"{_type_hint(wanted, path, schema.get('description', ''))}")]
    if error.validator == "pattern" and error.validator_value == ISO_DATE:
        return [problem(f"{where} is `{instance}`, not an ISO date: write it as YYYY-MM-DD, e.g. 2026-10-01")]
    if error.validator == "minItems":
        return [problem(f"{where} is empty: list at least one, e.g. `{path[-1] if path else 'stages'}: "
                        "[trigger, research]`")]
    if error.validator == "format":
        return [problem(f"{where} is `{instance}`, which is no calendar date: write a real date as YYYY-MM-DD")]
    if error.validator == "maxLength":
        return [problem(f"{where} is {len(instance):,} characters long, more than the {error.validator_value:,} "
                        "a diagram can draw (Graphviz refuses a text of 16,384 bytes, and a label joins several): "
                        "shorten it, and put the detail in `description:`")]
    if error.validator in ("minimum", "maximum"):
        low, high = schema.get("minimum"), schema.get("maximum")
        allowed = f"from {low:,} to {high:,}" if low is not None and high is not None else (
            f"of at least {low:,}" if low is not None else f"of at most {high:,}")
        return [problem(f"{where} is {instance}: write a value {allowed}"
                        + (f" ({schema['description']})" if schema.get("description") else ""))]
    return [problem(f"{where}: {error.message}")]


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
    if not isinstance(value, str):
        return None
    text = value.strip().replace("\u00a0", " ")
    percent = text.endswith("%")
    digits = text.rstrip("%").strip().replace(",", "").replace(" ", "").replace("_", "")
    try:
        number = float(digits)
    except ValueError:
        return None
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
