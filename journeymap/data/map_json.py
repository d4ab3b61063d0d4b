"""map.json: the resolved model, for spreadsheets, dashboards and other tools."""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from typing import Any

from ..core.findings import Finding
from ..core.model import Journey, Origin, Stage


def _plain(item: Any) -> Any:
    """Dataclass → dict without origins; the source file and line take their place."""
    if is_dataclass(item) and not isinstance(item, type):
        result = {}
        for f in fields(item):
            value = getattr(item, f.name)
            if isinstance(value, Origin):
                location = value.at()
                result["source"] = {"file": location.file, "line": location.line}
            elif f.name != "body":
                result[f.name] = _plain(value)
        return result
    if isinstance(item, dict):
        return {key: _plain(value) for key, value in item.items()}
    if isinstance(item, (list, tuple)):
        return [_plain(value) for value in item]
    return item


def _stage(stage: Stage) -> dict:
    data = _plain(stage)
    data["metrics"] = {kind: {**_plain(metric), "history": dict(metric.history), "on_target": metric.on_target}
                       for kind, metric in stage.metrics.items()}
    return data


def export(journey: Journey, findings: list[Finding]) -> dict:
    weakest, slowest = journey.weakest_link(), journey.slowest_stage()
    return {
        "title": journey.title,
        "description": journey.description,
        "persona": journey.persona,
        "review": {"cadence_days": journey.cadence_days,
                   "last_reviewed": journey.last_reviewed.isoformat() if journey.last_reviewed else None},
        "phases": _plain(journey.phases),
        "stage_order": [stage.id for stage in journey.stages],
        "stages": [_stage(stage) for stage in journey.stage_files],
        "transitions": [{"from": t.source.id, "to": t.target.id, "conversion": t.conversion,
                         "target_conversion": t.expected, "relative_conversion": t.relative}
                        for t in journey.transitions()],
        "weakest_link": {"from": weakest.source.id, "to": weakest.target.id} if weakest else None,
        "slowest_stage": slowest.id if slowest else None,
        "owners": _plain(journey.owners),
        "personas": _plain(journey.personas),
        "experiments": _plain(journey.experiments),
        "briefs": [{**_plain(brief), "body": brief.body} for brief in journey.briefs],
        "evidence": [{**_plain(note), "body": note.body} for note in journey.evidence],
        "findings": [finding.as_dict() for finding in findings],
    }


def export_json(journey: Journey, findings: list[Finding]) -> str:
    """map.json's text: strict JSON, which every reader takes. The model holds no inf or nan (the loader keeps
    `.inf` as text, computed rates that overflow read as absent); should one appear anyway, the build stops
    here rather than publish `Infinity`, which JSON has no word for."""
    return json.dumps(export(journey, findings), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
