"""The journey: its items, the lookups every rule and page makes, and the figures derived from them
(docs/format.md, "Derived figures")."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..findings import HANDOFF_GAP, UNKNOWN_OWNER, WEAKEST_LINK, Location
from ..load import Document, Problem
from .items import (
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
    listed,
    percent,
)


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
    title: str = field(metadata=listed(diff=1))
    description: str
    persona: str = field(metadata=listed(diff=2))
    repo_url: str
    edit_branch: str
    cadence_days: int = field(metadata=listed(diff=4))
    last_reviewed: dt.date | None = field(metadata=listed(diff=3))
    phases: list[Phase]
    stage_order: list[tuple[str, Location]]
    stage_files: list[Stage]
    owners: list[Owner]
    personas: list[Persona]
    experiments: list[Experiment]
    briefs: list[Brief]
    evidence: list[Evidence]
    checks: dict[str, str] = field(metadata=listed(diff=5))
    origin: Origin
    problems: list[Problem] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)  # paths relative to this journey's folder
    prefix: str = ""  # in a portfolio, this journey's folder ("new-logo/"); file paths start with it
    owners_used_elsewhere: frozenset[str] = frozenset()  # by the portfolio's other journeys
    logo: str = ""  # an image in the map folder, shown in the site's header (site/logo.py)

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
        return (not self.rule_off(HANDOFF_GAP) and source.hands_off_unwritten(target)
                and not {source.owner, target.owner} & self._misspelt_owners)

    @cached_property
    def _misspelt_owners(self) -> set[str]:
        """Owners touchpoints name that owners.yaml does not define, while `unknown-owner` reports them."""
        if self.rule_off(UNKNOWN_OWNER) or self.incomplete("owners."):
            return set()
        return {t.owner for t in self.touchpoints if t.owner and self.owner(t.owner) is None}

    def shown_weakest_link(self) -> Transition | None:
        """The weakest link the site marks; none when the map turned `weakest-link` off."""
        return None if self.rule_off(WEAKEST_LINK) else self.weakest_link()

    def shown_slowest_stage(self) -> Stage | None:
        return None if self.rule_off(WEAKEST_LINK) else self.slowest_stage()

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

    def end_to_end_conversion(self) -> float | None:
        """The share of the first stage's volume that reaches the last: the product of every step, so a
        journey with one step unmeasured has none (its ends alone would hide which step is missing)."""
        transitions = self.transitions()
        if not transitions or any(t.conversion is None for t in transitions):
            return None
        return _ratio(_value(transitions[0].source), _value(transitions[-1].target))

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


#: the kinds of item a journey holds, as `Journey.items` names them, and the class of each
ITEM_CLASSES: dict[str, type] = {
    "stage": Stage, "touchpoint": Touchpoint, "metric": Metric, "owner": Owner, "brief": Brief,
    "experiment": Experiment, "evidence": Evidence, "persona": Persona, "phase": Phase, "journey": Journey,
}
ITEM_KINDS = tuple(ITEM_CLASSES)
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
