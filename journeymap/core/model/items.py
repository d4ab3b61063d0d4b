"""The items of a journey map, one typed object each, and where each was written.

Validation has already reported wrong types; the builder reads a wrong value as absent, so these
hold only what every rule and page can rely on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any

from ..findings import Location
from ..load import Document

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



#: field metadata: the field's rank among those `journeymap diff` compares (it reports an item's changed
#: fields in this order)
DIFF = "diff"
#: field metadata: (rank, header) of the field among a touchpoint's columns in the CSV export
CSV = "csv"


def listed(diff: int | None = None, csv: tuple[int, str] | None = None) -> dict[str, Any]:
    """The metadata of an item's field that `journeymap diff` compares (`diff`-th of its item's) or the CSV
    export writes (`csv`: its column's rank and header): both lists are read off the item classes."""
    return {key: value for key, value in ((DIFF, diff), (CSV, csv)) if value is not None}


def compared_fields(item_class: type) -> tuple[str, ...]:
    """The fields of an item class `journeymap diff` compares, in the order it reports them."""
    ranked = sorted((f.metadata[DIFF], f.name) for f in fields(item_class) if DIFF in f.metadata)
    return tuple(name for _, name in ranked)


def exported_fields(item_class: type) -> tuple[tuple[str, str], ...]:
    """(column header, field) for each field of an item class the CSV export writes, in column order."""
    ranked = sorted((*f.metadata[CSV], f.name) for f in fields(item_class) if CSV in f.metadata)
    return tuple((header, name) for _, header, name in ranked)


def is_figure(value: Any) -> bool:
    """A number the map can compute with: no bool, and within ±LARGEST_NUMBER (so never inf or nan, which no
    comparison admits); anything else reads as absent, and the schema has said why."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and -LARGEST_NUMBER <= value <= LARGEST_NUMBER)


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
    name: str = field(metadata=listed(diff=1))
    department: str = field(metadata=listed(diff=2))
    lead: str = field(metadata=listed(diff=3))
    contact: str = field(metadata=listed(diff=4))
    origin: Origin


@dataclass(frozen=True)
class Persona:
    id: str
    name: str = field(metadata=listed(diff=1))
    role: str = field(metadata=listed(diff=2))
    company: str = field(metadata=listed(diff=3))
    description: str
    goals: tuple[str, ...]
    pains: tuple[str, ...]
    origin: Origin


@dataclass(frozen=True)
class Phase:
    id: str
    name: str = field(metadata=listed(diff=1))
    goal: str = field(metadata=listed(diff=2))
    origin: Origin


@dataclass(frozen=True)
class Metric:
    kind: str  # volume | health
    name: str = field(metadata=listed(diff=1))
    value: float | None = field(metadata=listed(diff=2))
    target: float | None = field(metadata=listed(diff=3))
    unit: str = field(metadata=listed(diff=4))
    better: str = field(metadata=listed(diff=5))
    source: str = field(metadata=listed(diff=6))
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
    id: str = field(metadata=listed(csv=(2, "touchpoint_id")))
    name: str = field(metadata=listed(diff=2, csv=(3, "touchpoint")))
    owner: str | None = field(metadata=listed(diff=3, csv=(4, "owner_id")))
    stage: str = field(metadata=listed(diff=1, csv=(1, "stage")))
    description: str
    channel: str = field(metadata=listed(diff=6, csv=(5, "channel")))
    initiator: str = field(metadata=listed(diff=5, csv=(6, "initiator")))
    intent: str = field(metadata=listed(diff=4, csv=(7, "intent")))
    response_sla_hours: float | None = field(metadata=listed(diff=7, csv=(8, "response_sla_hours")))
    source_system: str = field(metadata=listed(diff=10, csv=(11, "source_system")))
    next: tuple[str, ...] = field(metadata=listed(diff=8, csv=(9, "next")))
    handoff: str = field(metadata=listed(diff=9, csv=(10, "handoff")))
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
    name: str = field(metadata=listed(diff=1))
    phase: str = field(metadata=listed(diff=2))
    description: str
    job: str = field(metadata=listed(diff=3))
    milestone: str = field(metadata=listed(diff=4))
    emotion: int | None = field(metadata=listed(diff=5))
    highs: tuple[str, ...]
    lows: tuple[str, ...]
    questions: tuple[str, ...]
    cycle_time_days: float | None = field(metadata=listed(diff=6))
    metrics: dict[str, Metric]
    evidence: tuple[str, ...] = field(metadata=listed(diff=7))
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
    stage: str = field(metadata=listed(diff=1))
    touchpoints: tuple[str, ...] = field(metadata=listed(diff=6))
    owner: str = field(metadata=listed(diff=3))
    hypothesis: str = field(metadata=listed(diff=5))
    metric: str = field(metadata=listed(diff=4))
    status: str = field(metadata=listed(diff=2))
    start: str = field(metadata=listed(diff=7))
    end: str = field(metadata=listed(diff=8))
    result: str
    origin: Origin


@dataclass(frozen=True)
class Brief:
    id: str
    title: str = field(metadata=listed(diff=2))
    stage: str = field(metadata=listed(diff=1))
    touchpoints: tuple[str, ...] = field(metadata=listed(diff=5))
    owner: str = field(metadata=listed(diff=4))
    status: str = field(metadata=listed(diff=3))
    body: str
    origin: Origin


@dataclass(frozen=True)
class Evidence:
    id: str
    title: str = field(metadata=listed(diff=1))
    kind: str = field(metadata=listed(diff=2))
    date: str = field(metadata=listed(diff=3))
    stages: tuple[str, ...] = field(metadata=listed(diff=4))
    source: str = field(metadata=listed(diff=5))
    body: str
    origin: Origin
