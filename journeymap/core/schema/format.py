"""The format, described once as JSON Schema, a schema per kind of file: validated, and printed for editors.

Fields that a dedicated rule reports (a touchpoint's owner, a stage's job and
metrics, id slugs) are deliberately not `required` here, so each gap is
reported once, by the rule that explains it best.
"""

from __future__ import annotations

from typing import Any

from ..model import LABEL_CHARS, LARGEST_NUMBER

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


#: a path inside the map folder (no `..`, not absolute) to a raster image, whatever the case of its ending
LOGO_PATTERN = (r"^(?![/\\])(?!(.*[/\\])?\.\.([/\\]|$))[^:]+"
                r"\.([pP][nN][gG]|[jJ][pP][eE]?[gG]|[wW][eE][bB][pP]|[gG][iI][fF])$")


def journey_schema(rule_ids: list[str]) -> dict:
    severity = {"enum": ["error", "warning", "info", "off", False]}
    return _obj({
        "title": _d(_text, "the map's title"),
        "description": _d(_text, "what this journey covers"),
        "persona": _d(_text, "a personas.yaml id"),
        "repo_url": _d(_text, "the repository, for 'edit this' links"),
        "edit_branch": _d(_text, "the branch that 'edit this' links open (default main)"),
        "logo": _d({"type": "string", "pattern": LOGO_PATTERN},
                   "an image shown beside the title in the site's header: a PNG, JPEG, WebP or GIF file in the "
                   "map folder, e.g. `assets/logo.png` (an SVG can hold script, so it is not taken)"),
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
