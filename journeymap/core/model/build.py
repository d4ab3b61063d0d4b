"""Building the model from loaded documents, tolerantly: a value of the wrong type reads as absent (the
schema has said why), so every rule can still run over the rest of the map."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..findings import Location
from ..load import Document, Folder
from .items import (
    LABEL_CHARS,
    Brief,
    Evidence,
    Experiment,
    Metric,
    Origin,
    Owner,
    Persona,
    Phase,
    Stage,
    Touchpoint,
    is_figure,
)
from .journey import Journey


def _text(data: Any, key: str) -> str:
    value = data.get(key) if isinstance(data, dict) else None
    return value.strip() if isinstance(value, str) else ""


def _label(data: Any, key: str) -> str:
    """Text that reaches a diagram, clipped to LABEL_CHARS: the schema reports a longer one, and a build
    under --keep-going still draws every diagram (Graphviz would refuse the whole graph)."""
    text = _text(data, key)
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "…"


def _number(data: Any, key: str) -> float | None:
    value = data.get(key) if isinstance(data, dict) else None
    return value if is_figure(value) else None


def _mapping(data: Any, key: str) -> dict:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def _texts(data: Any, key: str) -> tuple[str, ...]:
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, list):
        return tuple(str(item) for item in value if isinstance(item, (str, int, float)))
    return ()


def _items(data: Any, key: str) -> list[tuple[int, dict]]:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [(index, item) for index, item in enumerate(value) if isinstance(item, dict)]


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


#: the kinds whose file is one item: without a mapping at its top (already a finding), there is no item
_ONE_ITEM_KINDS = ("stage", "experiment")


def _itemless(folder: Folder) -> set[str]:
    """Stage and experiment files holding no mapping: an empty or list-shaped stage file has no stage to judge,
    and references into it cannot be judged either, as with a file that does not parse."""
    return {d.file for d in folder.documents if d.kind in _ONE_ITEM_KINDS and not isinstance(d.data, dict)}


def build_journey(folder: Folder, shared_owners: Sequence[Document] = (), prefix: str = "") -> Journey:
    """Turn a folder's documents into a Journey; a portfolio passes its shared owners and the folder prefix."""
    journey_doc = next(iter(folder.of_kind("journey")), None) or Document(f"{prefix}journey.yaml", "journey", {})
    itemless = _itemless(folder)
    data = journey_doc.fields
    review = _mapping(data, "review")
    checks = _mapping(data, "checks")
    stage_order = []
    if isinstance(data.get("stages"), list):
        for index, stage_id in enumerate(data["stages"]):
            if isinstance(stage_id, str):
                stage_order.append((stage_id, journey_doc.at("stages", index)))
    return Journey(
        title=_text(data, "title"),
        description=_text(data, "description"),
        persona=_text(data, "persona"),
        repo_url=_text(data, "repo_url").rstrip("/"),
        edit_branch=_text(data, "edit_branch") or "main",
        logo=_text(data, "logo"),
        cadence_days=int(_number(review, "cadence_days") or 90),  # a figure: finite, so a whole number
        last_reviewed=_date(_text(review, "last_reviewed")),
        phases=[Phase(_text(p, "id"), _label(p, "name"), _text(p, "goal"), Origin(journey_doc, ("phases", i)))
                for i, p in _items(data, "phases")],
        stage_order=stage_order,
        stage_files=[_stage(d) for d in _in_journey_order(folder.of_kind("stage"), stage_order)
                     if d.file not in itemless],
        owners=[_owner(d, i, o) for d in [*shared_owners, *folder.of_kind("owners")]
                for i, o in _items(d.data, "owners")],
        personas=[_persona(d, i, p) for d in folder.of_kind("personas") for i, p in _items(d.data, "personas")],
        experiments=[_experiment(d) for d in folder.of_kind("experiment") if d.file not in itemless],
        briefs=[_brief(d) for d in folder.of_kind("brief")],
        evidence=[_evidence(d) for d in folder.of_kind("evidence")],
        checks={str(rule): ("off" if level is False else str(level)) for rule, level in checks.items()},
        origin=Origin(journey_doc),
        problems=list(folder.problems),
        unreadable=set(folder.unreadable) | {file[len(prefix):] for file in itemless},
        prefix=prefix,
    )


def _in_journey_order(documents: list[Document], stage_order: list[tuple[str, Location]]) -> list[Document]:
    """Stage files in the order journey.yaml lists them (by id or file name), unlisted ones last."""
    order = [stage_id for stage_id, _ in stage_order]

    def rank(document: Document) -> tuple[int, str]:
        data = document.fields
        for key in (_text(data, "id"), document.stem):
            if key in order:
                return order.index(key), document.file
        return len(order), document.file

    return sorted(documents, key=rank)


def _owner(document: Document, index: int, data: dict) -> Owner:
    return Owner(_text(data, "id"), _label(data, "name"), _text(data, "department"), _text(data, "lead"),
                 _text(data, "contact"), Origin(document, ("owners", index)))


def _persona(document: Document, index: int, data: dict) -> Persona:
    return Persona(_text(data, "id"), _text(data, "name"), _text(data, "role"), _text(data, "company"),
                   _text(data, "description"), _texts(data, "goals"), _texts(data, "pains"),
                   Origin(document, ("personas", index)))


def _stage(document: Document) -> Stage:
    data = document.fields
    stage_id = _text(data, "id")
    metrics_data = _mapping(data, "metrics")
    metrics = {kind: _metric(document, kind, metrics_data[kind])
               for kind in ("volume", "health") if isinstance(metrics_data.get(kind), dict)}
    emotion = data.get("emotion")
    return Stage(
        id=stage_id, name=_label(data, "name") or stage_id, phase=_text(data, "phase"),
        description=_text(data, "description"), job=_label(data, "job"), milestone=_text(data, "milestone"),
        emotion=emotion if isinstance(emotion, int) and not isinstance(emotion, bool) and -2 <= emotion <= 2
        else None,
        highs=_texts(data, "highs"), lows=_texts(data, "lows"), questions=_texts(data, "questions"),
        cycle_time_days=_number(data, "cycle_time_days"), metrics=metrics, evidence=_texts(data, "evidence"),
        touchpoints=tuple(_touchpoint(document, stage_id, i, t) for i, t in _items(data, "touchpoints")),
        origin=Origin(document),
    )


def _metric(document: Document, kind: str, data: dict) -> Metric:
    history = _mapping(data, "history")
    return Metric(
        kind=kind, name=_label(data, "name"), value=_number(data, "value"), target=_number(data, "target"),
        unit=_text(data, "unit"), better=_text(data, "better") or "higher", source=_text(data, "source"),
        # in the order written: periods such as "Jan 2026" do not sort as text
        history=tuple((str(k), v) for k, v in history.items() if is_figure(v)),
        origin=Origin(document, ("metrics", kind)),
    )


def _touchpoint(document: Document, stage_id: str, index: int, data: dict) -> Touchpoint:
    return Touchpoint(
        id=_text(data, "id"), name=_label(data, "name") or _text(data, "id"),
        owner=_label(data, "owner") or None, stage=stage_id,  # drawn as its name when owners.yaml has none
        description=_text(data, "description"), channel=_text(data, "channel"),
        initiator=_text(data, "initiator"), intent=_text(data, "intent"),
        response_sla_hours=_number(data, "response_sla_hours"), source_system=_text(data, "source_system"),
        next=_texts(data, "next"), handoff=_label(data, "handoff"),
        origin=Origin(document, ("touchpoints", index)),
    )


def _experiment(document: Document) -> Experiment:
    data = document.fields
    return Experiment(
        id=_text(data, "id") or document.stem, name=_text(data, "name") or _text(data, "id") or document.stem,
        stage=_text(data, "stage"), touchpoints=_texts(data, "touchpoints"), owner=_text(data, "owner"),
        hypothesis=_text(data, "hypothesis"), metric=_text(data, "metric"), status=_text(data, "status"),
        start=_text(data, "start"), end=_text(data, "end"), result=_text(data, "result"),
        origin=Origin(document),
    )


def _brief(document: Document) -> Brief:
    data = document.fields
    return Brief(
        id=document.stem, title=_text(data, "title") or document.stem, stage=_text(data, "stage"),
        touchpoints=_texts(data, "touchpoints"), owner=_text(data, "owner"), status=_text(data, "status"),
        body=document.body, origin=Origin(document),
    )


def _evidence(document: Document) -> Evidence:
    data = document.fields
    return Evidence(
        id=document.stem, title=_text(data, "title") or document.stem, kind=_text(data, "kind"),
        date=_text(data, "date"), stages=_texts(data, "stages"), source=_text(data, "source"),
        body=document.body, origin=Origin(document),
    )
