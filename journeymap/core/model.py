"""The journey as typed objects, built tolerantly from whatever the files hold.

Validation has already reported wrong types; here a wrong value simply reads as
absent, so every rule can still run over the rest of the map.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .findings import Location
from .load import Document, Folder, Problem

#: the format: every id is a slug; ids become file names, URLs and anchors
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
#: the largest number a map may write (a metric, a duration, a cadence): past it a figure is a slip of the
#: keyboard, and float arithmetic and formatting stop being exact (the schema says so at its line)
LARGEST_NUMBER = 10**15
#: characters a text that reaches a diagram may have (a name, a job, a hand-off): Graphviz refuses a quoted
#: text of 16,384 bytes, and a label joins up to three texts of up to 4 bytes a character (UTF-8), escaped
LABEL_CHARS = 1000


def percent(value: float | None) -> str:
    """A computed rate, with one decimal: 540 of 2,400 is 22.5%, not 22%."""
    return "—" if value is None else f"{value * 100:.1f}%"


@dataclass(frozen=True)
class Origin:
    """Where an item was written: its document and its path inside it."""

    document: Document
    path: tuple = ()

    @property
    def file(self) -> str:
        return self.document.file

    def at(self, *keys: Any) -> Location:
        return self.document.at(*self.path, *keys)

    @property
    def written(self) -> Any:
        """The item as the file holds it, before the model read it: for rules that must tell a value
        written wrong (the schema's finding) from one left out."""
        data = self.document.data
        for key in self.path:
            data = data[key] if isinstance(data, (dict, list)) else None
        return data

    def span(self) -> tuple[int, int]:
        """The first and last line this item's values occupy (the whole file for a file-level item)."""
        if not self.path:
            return 1, 10**9
        return self.document.span(self.path) or (1, 10**9)

    def holds(self, location: Location) -> bool:
        first, last = self.span()
        return location.file == self.file and location.line is not None and first <= location.line <= last


@dataclass(frozen=True)
class Owner:
    id: str
    name: str
    department: str
    lead: str
    contact: str
    origin: Origin


@dataclass(frozen=True)
class Persona:
    id: str
    name: str
    role: str
    company: str
    description: str
    goals: tuple[str, ...]
    pains: tuple[str, ...]
    origin: Origin


@dataclass(frozen=True)
class Phase:
    id: str
    name: str
    goal: str
    origin: Origin


@dataclass(frozen=True)
class Metric:
    kind: str  # volume | health
    name: str
    value: float | None
    target: float | None
    unit: str
    better: str
    source: str
    history: tuple[tuple[str, float], ...]
    origin: Origin

    @property
    def is_ratio(self) -> bool:
        return self.unit == "ratio"

    @property
    def on_target(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value <= self.target if self.better == "lower" else self.value >= self.target

    def format(self, value: float | None) -> str:
        if value is None:
            return "—"
        if self.is_ratio:  # 0.22 → 22%, 0.225 → 22.5%: the decimal only where the figure has one
            return f"{value * 100:.0f}%" if float(round(value * 100, 1)).is_integer() else f"{value * 100:.1f}%"
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


@dataclass(frozen=True)
class Touchpoint:
    id: str
    name: str
    owner: str | None
    stage: str
    description: str
    channel: str
    initiator: str
    intent: str
    response_sla_hours: float | None
    source_system: str
    next: tuple[str, ...]
    handoff: str
    origin: Origin

    @property
    def needs_sla(self) -> bool:
        """High intent, and nobody has said how fast the owner answers."""
        return self.intent == "high" and self.response_sla_hours is None

    def hands_off_unwritten(self, target: Touchpoint) -> bool:
        """`next` passes the customer to another team and no `handoff` says how."""
        return bool(self.owner and target.owner and self.owner != target.owner and not self.handoff)


@dataclass(frozen=True)
class Stage:
    id: str
    name: str
    phase: str
    description: str
    job: str
    milestone: str
    emotion: int | None
    highs: tuple[str, ...]
    lows: tuple[str, ...]
    questions: tuple[str, ...]
    cycle_time_days: float | None
    metrics: dict[str, Metric]
    evidence: tuple[str, ...]
    touchpoints: tuple[Touchpoint, ...]
    origin: Origin

    @property
    def subject_id(self) -> str:
        """What diff and SARIF follow the stage (and its metrics) by: its id, or its file's name without one."""
        return self.id or self.origin.document.stem

    @property
    def volume(self) -> Metric | None:
        return self.metrics.get("volume")

    @property
    def health(self) -> Metric | None:
        return self.metrics.get("health")


@dataclass(frozen=True)
class Experiment:
    id: str
    name: str
    stage: str
    touchpoints: tuple[str, ...]
    owner: str
    hypothesis: str
    metric: str
    status: str
    start: str
    end: str
    result: str
    origin: Origin


@dataclass(frozen=True)
class Brief:
    id: str
    title: str
    stage: str
    touchpoints: tuple[str, ...]
    owner: str
    status: str
    body: str
    origin: Origin


@dataclass(frozen=True)
class Evidence:
    id: str
    title: str
    kind: str
    date: str
    stages: tuple[str, ...]
    source: str
    body: str
    origin: Origin


@dataclass(frozen=True)
class Transition:
    """The move from one stage to the next, with its conversion."""

    source: Stage
    target: Stage
    conversion: float | None
    relative: float | None  # conversion / target conversion, when every stage has a target
    expected: float | None = None  # the conversion the two stages' volume targets imply

    def shortfall(self) -> str:
        """The weakest link in words a reader needs no arithmetic for: the rate, the target, the gap."""
        rate = percent(self.conversion)
        if self.expected is None or self.conversion is None:
            return f"{self.source.name} → {self.target.name} converts {rate}"
        gap = (self.expected - self.conversion) * 100
        against = f"{abs(gap):.1f} points {'short of' if gap > 0 else 'above'}"
        return f"{self.source.name} → {self.target.name} converts {rate}, {against} the {percent(self.expected)} " \
               "its targets need"


@dataclass
class Journey:
    title: str
    description: str
    persona: str
    repo_url: str
    edit_branch: str
    cadence_days: int
    last_reviewed: dt.date | None
    phases: list[Phase]
    stage_order: list[tuple[str, Location]]
    stage_files: list[Stage]
    owners: list[Owner]
    personas: list[Persona]
    experiments: list[Experiment]
    briefs: list[Brief]
    evidence: list[Evidence]
    checks: dict[str, str]
    origin: Origin
    problems: list[Problem] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)  # paths relative to this journey's folder
    prefix: str = ""  # in a portfolio, this journey's folder ("new-logo/"); file paths start with it
    owners_used_elsewhere: frozenset[str] = frozenset()  # by the portfolio's other journeys

    def items(self, kind: str) -> Iterator[tuple[str, Any, Origin]]:
        """(id, item, where it is written) for every item of a kind in ITEM_KINDS; a metric's id is
        `stage.volume`, the journey's own is `journey`, a stage without an id goes by its file name."""
        if kind == "journey":
            yield "journey", self, self.origin
        elif kind == "stage":
            for stage in self.stage_files:
                yield stage.subject_id, stage, stage.origin
        elif kind == "metric":
            for stage in self.stage_files:
                for metric in stage.metrics.values():
                    yield f"{stage.subject_id}.{metric.kind}", metric, metric.origin
        else:
            for item in getattr(self, _ITEM_LISTS[kind]):
                yield item.id, item, item.origin

    def documents(self) -> list[Document]:
        """Every file the journey was read from, each once, in the order read."""
        origins = [self.origin, *(s.origin for s in self.stage_files), *(o.origin for o in self.owners),
                   *(p.origin for p in self.personas), *(e.origin for e in self.experiments),
                   *(b.origin for b in self.briefs), *(n.origin for n in self.evidence)]
        return list({id(o.document): o.document for o in origins}.values())

    def rule_off(self, rule_id: str) -> bool:
        """`checks: {rule: off}`: the site then draws no badge or warning for that rule either."""
        return self.checks.get(rule_id) == "off"

    def handoff_gap(self, source: Touchpoint, target: Touchpoint) -> bool:
        """A hand-off gap, in the check and on the site: unwritten, `handoff-gap` on, and both owners defined
        (a misspelt owner is `unknown-owner`'s finding, not also a change of team)."""
        return (not self.rule_off("handoff-gap") and source.hands_off_unwritten(target)
                and not {source.owner, target.owner} & self._misspelt_owners)

    @cached_property
    def _misspelt_owners(self) -> set[str]:
        """Owners touchpoints name that owners.yaml does not define, while `unknown-owner` reports them."""
        if self.rule_off("unknown-owner") or self.incomplete("owners."):
            return set()
        return {t.owner for t in self.touchpoints if t.owner and self.owner(t.owner) is None}

    def shown_weakest_link(self) -> Transition | None:
        """The weakest link the site marks; none when the map turned `weakest-link` off."""
        return None if self.rule_off("weakest-link") else self.weakest_link()

    def shown_slowest_stage(self) -> Stage | None:
        return None if self.rule_off("weakest-link") else self.slowest_stage()

    @property
    def slug(self) -> str:
        """The journey's folder name in a portfolio; "" for a single journey."""
        return self.prefix.rstrip("/")

    # -- lookups (first definition wins; duplicates are a rule's business) --

    def incomplete(self, prefix: str) -> bool:
        """Whether files under `prefix` could not be read, so references into them cannot be judged."""
        return any(path.startswith(prefix) for path in self.unreadable)

    @cached_property
    def _index(self) -> dict[str, dict[str, Any]]:
        """Id → item per kind, built once; the first definition wins."""
        def first(items: list, key: Callable[[Any], str]) -> dict[str, Any]:
            found: dict[str, Any] = {}
            for item in items:
                found.setdefault(key(item), item)
            return found

        return {"stage": first(self.stage_files, lambda s: s.id),
                "stage file": first(self.stage_files, lambda s: s.origin.document.stem),
                "owner": first(self.owners, lambda o: o.id),
                "touchpoint": first(self.touchpoints, lambda t: t.id)}

    def stage(self, stage_id: str) -> Stage | None:
        """By id; failing that by file name, so a file whose id is mistyped still takes its place."""
        if not stage_id:
            return None
        return self._index["stage"].get(stage_id) or self._index["stage file"].get(stage_id)

    def owner(self, owner_id: str | None) -> Owner | None:
        return self._index["owner"].get(owner_id or "")

    def owner_name(self, owner_id: str | None) -> str:
        """The team's name, or the id as written when no team has it."""
        owner = self.owner(owner_id)
        return owner.name if owner else (owner_id or "")

    def stage_name(self, stage_id: str) -> str:
        stage = self.stage(stage_id)
        return stage.name if stage else stage_id

    @cached_property
    def stages(self) -> list[Stage]:
        """The stages in journey order, each once, skipping ids with no file."""
        seen: dict[str, Stage] = {}
        for stage_id, _ in self.stage_order:
            stage = self.stage(stage_id)
            if stage is not None and stage_id not in seen:
                seen[stage_id] = stage
        return list(seen.values())

    @cached_property
    def touchpoints(self) -> list[Touchpoint]:
        return [t for s in self.stage_files for t in s.touchpoints]

    def touchpoint(self, touchpoint_id: str) -> Touchpoint | None:
        return self._index["touchpoint"].get(touchpoint_id)

    def briefs_for(self, stage_id: str) -> list[Brief]:
        return [b for b in self.briefs if b.stage == stage_id]

    def experiments_for(self, stage_id: str) -> list[Experiment]:
        return [e for e in self.experiments if e.stage == stage_id]

    def next_of(self, touchpoint: Touchpoint) -> list[tuple[int, Touchpoint]]:
        """The touchpoints `next` names that exist, with their index in the list."""
        found = [(index, self.touchpoint(next_id)) for index, next_id in enumerate(touchpoint.next)]
        return [(index, target) for index, target in found if target is not None]

    def evidence_for(self, stage: Stage) -> list[Evidence]:
        """Evidence the stage cites, and evidence notes that name the stage."""
        return [e for e in self.evidence if e.id in stage.evidence or stage.id in e.stages]

    def phase_of(self, stage: Stage) -> Phase | None:
        return next((p for p in self.phases if p.id == stage.phase), None)

    # -- derived figures (docs/format.md, "Derived figures") --

    def transitions(self) -> list[Transition]:
        stages = self.stages
        use_targets = bool(stages) and all(
            s.volume is not None and s.volume.target for s in stages)
        result = []
        for source, target in zip(stages, stages[1:], strict=False):
            conversion = _ratio(_value(source), _value(target))
            relative = expected = None
            if use_targets and conversion is not None:
                expected = _ratio(source.volume.target, target.volume.target)  # type: ignore[union-attr]
                relative = _finite(conversion / expected) if expected else None
            result.append(Transition(source, target, conversion, relative, expected))
        return result

    def weakest_link(self) -> Transition | None:
        transitions = self.transitions()
        relative = [t for t in transitions if t.relative is not None]
        if relative and len(relative) == len(transitions):
            return min(relative, key=lambda t: t.relative)  # type: ignore[arg-type,return-value]
        measured = [t for t in transitions if t.conversion is not None]
        return min(measured, key=lambda t: t.conversion) if measured else None  # type: ignore[arg-type,return-value]

    def slowest_stage(self) -> Stage | None:
        timed = [s for s in self.stages if s.cycle_time_days is not None]
        return max(timed, key=lambda s: s.cycle_time_days) if timed else None  # type: ignore[arg-type,return-value]


#: the kinds of item a journey holds, as `Journey.items` names them
ITEM_KINDS = ("stage", "touchpoint", "metric", "owner", "brief", "experiment", "evidence", "persona", "phase",
              "journey")
_ITEM_LISTS = {"phase": "phases", "touchpoint": "touchpoints", "owner": "owners", "persona": "personas",
               "brief": "briefs", "experiment": "experiments", "evidence": "evidence"}


def _value(stage: Stage) -> float | None:
    return stage.volume.value if stage.volume is not None else None


def _ratio(before: float | None, after: float | None) -> float | None:
    if before is None or after is None or before <= 0:
        return None
    return _finite(after / before)


def _finite(value: float) -> float | None:
    """A computed figure, or None where it overflowed: 10^15 over 10^-300 is no rate a page can show."""
    return value if math.isfinite(value) else None


# ---- building the model from documents ----


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


def is_figure(value: Any) -> bool:
    """A number the map can compute with: no bool, and within ±LARGEST_NUMBER (so never inf or nan, which no
    comparison admits); anything else reads as absent, and the schema has said why."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and -LARGEST_NUMBER <= value <= LARGEST_NUMBER)


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
