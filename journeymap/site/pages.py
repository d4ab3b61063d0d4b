"""The site's pages: which pages exist, and the context each template is given.

Templates get plain model objects plus `site`, a small helper with the
questions templates ask (which findings sit in this item? where do I edit it?).
docs/templates.md documents the context.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from ..core.findings import Finding, Severity
from ..core.model import SLUG, Journey, Metric, Origin, Owner, Stage, Touchpoint, Transition, percent
from ..util.repository import path_in_repository, repository_file, repository_url
from ..util.urls import scheme_of
from . import descriptions, diagrams, gap_groups, links, palette, wording
from .render import icon
from .team_handoffs import team_handoffs

EMOTIONS = wording.FEELINGS
EXPERIMENT_STATUSES = ["proposed", "running", "won", "lost", "inconclusive"]


@dataclass(frozen=True)
class Page:
    path: str  # relative to the site root
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    source: str = ""  # the file it came from, or the folder ("briefs/") for a list page; "" = the map folder
    description: str = ""  # what the page is, in a sentence: its meta description and link preview

    @property
    def root(self) -> str:
        return links.root_of(self.path)


@dataclass
class Column:
    """One stage as the map page shows it."""

    stage: Stage
    transition: Transition | None  # into this stage
    is_weakest: bool
    is_slowest: bool
    findings: list[Finding]


def gaps(findings: list[Finding]) -> list[Finding]:
    """What the site counts and badges as gaps: errors and warnings, as the check does (info is not a gap)."""
    return [f for f in findings if f.severity is not Severity.INFO]


def by_file(findings: list[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.location.file, []).append(finding)
    return grouped


def gaps_by_owner(items: list[Touchpoint | Owner],
                  gaps_in_files: dict[str, list[Finding]]) -> dict[str, list[Finding]]:
    """owner id → the gaps written inside its items (touchpoints by their owner, owners' entries by their id),
    item by item, each gap once: every team's in one pass (a team at a time over a large portfolio took seconds)."""
    found: dict[str, list[Finding]] = {}
    for item in items:
        owner_id = item.owner if isinstance(item, Touchpoint) else item.id
        held = [g for g in gaps_in_files.get(item.origin.file, ()) if item.origin.holds(g.location)] \
            if owner_id else []
        if owner_id and held:
            mine = found.setdefault(owner_id, [])
            mine += [g for g in held if g not in mine]
    return found


class Site:
    """What every template can ask about the journey and its findings."""

    def __init__(self, journey: Journey, findings: list[Finding], root: Path) -> None:
        self.journey = journey
        self.findings = findings
        self.gaps = gaps(findings)
        self._gaps_by_file = by_file(self.gaps)
        self.colours = diagrams.owner_colours(journey)  # kept for templates that set a fill inline; see team_class
        self._team_numbers = palette.team_numbers(journey)
        self.root = root
        self.emotions = EMOTIONS
        self.logo = ""  # the logo's path in the site, when journey.yaml names one (site/logo.py)

    # -- findings next to the things they are about --

    def gap(self, rule_id: str, text: str, element: str = "p") -> Markup:
        """A gap shown where it is, as the check reports it: nothing at all when the map turned the rule off."""
        if self.journey.rule_off(rule_id):
            return Markup("")
        return Markup(f'<{element} class="gap-inline">{icon("warn")}{escape(text)}</{element}>')

    def findings_in(self, origin: Origin) -> list[Finding]:
        return [f for f in self.findings_in_file(origin.file) if origin.holds(f.location)]

    def findings_in_file(self, file: str) -> list[Finding]:
        return list(self._gaps_by_file.get(file, ()))

    def owned(self, owner_id: str) -> int:
        """How many touchpoints a team owns."""
        return self._owned_counts[owner_id]

    @cached_property
    def _owned_counts(self) -> Counter:
        return Counter(t.owner for t in self.journey.touchpoints if t.owner)

    def owner_findings(self, owner_id: str) -> list[Finding]:
        """The gaps inside a team's touchpoints and its own entry."""
        return self._gaps_by_owner.get(owner_id, [])

    @cached_property
    def _gaps_by_owner(self) -> dict[str, list[Finding]]:
        return gaps_by_owner([*self.journey.touchpoints, *self.journey.owners], self._gaps_by_file)

    # -- links back to the YAML --

    def source_path(self, file: str) -> str:
        return repository_file(self.root, file, self._repository_folder)

    @cached_property
    def _repository_folder(self) -> str:
        """Asked of the disk once, not once per link."""
        return path_in_repository(self.root).as_posix()

    def edit_url(self, file: str) -> str | None:
        """GitHub's editor for a file; its folder view for a folder ("briefs/", or "" for the map)."""
        repo = self.journey.repo_url
        if not repo or scheme_of(repo) not in ("http", "https"):  # anything else is an `unsafe-url` finding
            return None
        if not file or file.endswith("/"):
            return f"{repo}/tree/{self.journey.edit_branch}/{self.source_path(file).rstrip('/')}".rstrip("/")
        return repository_url(repo, "edit", self.journey.edit_branch, self.source_path(file))

    def line_url(self, file: str, line: int | None) -> str | None:
        repo = self.journey.repo_url
        if not repo or scheme_of(repo) not in ("http", "https"):  # anything else is an `unsafe-url` finding
            return None
        return repository_url(repo, "blob", self.journey.edit_branch, self.source_path(file), line)

    # -- small facts templates need --

    def touchpoint(self, touchpoint_id: str) -> Touchpoint | None:
        return self.journey.touchpoint(touchpoint_id)

    def team_class(self, owner_id: str | None) -> str:
        """`team-N`, which gives an element its team's --team-fill, --team-line and --team-ink (assets/teams.css);
        "" for no team or one owners.yaml does not list."""
        return palette.team_class(self._team_numbers.get(owner_id or ""))

    def handoff_gaps(self, touchpoint: Touchpoint) -> list[Touchpoint]:
        return [t for _, t in self.journey.next_of(touchpoint) if self.journey.handoff_gap(touchpoint, t)]

    def sparkline(self, metric: Metric) -> str:
        """Polyline points in a 100×24 box, oldest period on the left, current value last."""
        values = [v for _, v in metric.history]
        if metric.value is not None and (not values or values[-1] != metric.value):
            values.append(metric.value)
        if len(values) < 2:
            return ""
        low, high = min(values), max(values)
        spread = (high - low) or 1
        step = 100 / (len(values) - 1)
        return " ".join(f"{i * step:.1f},{22 - (v - low) / spread * 20:.1f}" for i, v in enumerate(values))

    def emotion_points(self, stages: list[Stage]) -> str:
        """Points across columns 100 wide each, in a box 40 high (+2 at the top, -2 at the bottom)."""
        return " ".join(f"{i * 100 + 50},{20 - s.emotion * 8}" for i, s in enumerate(stages)
                        if s.emotion is not None)

    def percent(self, value: float | None) -> str:
        return percent(value)

    # -- the reader's words for the model's (wording.py) --

    def initiator_words(self, initiator: str | None) -> str:
        """Who starts a touchpoint: "the customer", "our team", "a partner"."""
        return wording.initiator_words(initiator)

    def feeling(self, emotion: int | None) -> str:
        return wording.feeling(emotion)

    def plain_finding(self, finding: Finding) -> wording.PlainFinding:
        """A finding as a problem, its fix, and the line to edit (file:line from the repository root)."""
        line = finding.location.line
        where = self.source_path(finding.location.file) + (f":{line}" if line else "")
        return wording.plain_finding(finding, where, self.line_url(finding.location.file, line))


def columns(journey: Journey, site: Site, with_orphans: bool = False) -> list[Column]:
    """The stages in journey order (orphan stage files last, when asked for)."""
    weakest = journey.shown_weakest_link()
    slowest = journey.shown_slowest_stage()
    into = {t.target.id: t for t in journey.transitions()}
    stages = journey.stages
    if with_orphans:
        stages = stages + [s for s in journey.stage_files if s not in stages]
    return [Column(stage, into.get(stage.id), weakest is not None and weakest.target.id == stage.id,
                   slowest is not None and slowest.id == stage.id, site.findings_in_file(stage.origin.file))
            for stage in _unique(stages)]


def phase_groups(journey: Journey) -> list[tuple[Any, int]]:
    """Consecutive stages under the same phase: (phase or None, how many columns)."""
    groups: list[tuple[Any, int]] = []
    for stage in journey.stages:
        phase = journey.phase_of(stage)
        if groups and groups[-1][0] == phase:
            groups[-1] = (phase, groups[-1][1] + 1)
        else:
            groups.append((phase, 1))
    return groups


def pages(journey: Journey, site: Site) -> Iterator[Page]:
    """Every page of the site, with its template and context."""
    map_columns = columns(journey, site)
    yield Page(links.INDEX, "index.html", journey.title or "Journey map", {
        "columns": map_columns, "phase_groups": phase_groups(journey),
        "weakest": next((c for c in map_columns if c.is_weakest), None),
        "slowest": next((c for c in map_columns if c.is_slowest), None),
        "persona": next((p for p in journey.personas if p.id == journey.persona), None),
        "diagram": diagrams.stage_flow(journey, ""),
        "initiators": sorted({t.initiator for t in journey.touchpoints if t.initiator}),
        "intents": [i for i in ("high", "medium", "low") if any(t.intent == i for t in journey.touchpoints)],
    }, journey.origin.file, descriptions.map_page(journey))
    yield Page(links.HANDOFFS, "handoffs.html", "Touchpoint hand-offs",
               {"diagram": diagrams.handoffs(journey, ""), "team_handoffs": team_handoffs(journey)},
               journey.prefix + "stages/", descriptions.list_page("handoffs.html", journey))
    yield Page(links.GAPS, "gaps.html", "Gaps", {
        "by_stage": gap_groups.by_stage(journey, site.findings),
        "by_team": [(o, site.owner_findings(o.id)) for o in _unique(journey.owners) if site.owner_findings(o.id)],
    }, journey.prefix, descriptions.list_page("gaps.html", journey))
    yield from _stage_pages(journey, site)
    yield Page(links.OWNERS, "owners.html", "Teams", {}, _first_file(journey.owners, journey.prefix + "owners.yaml"),
               descriptions.list_page("owners.html", journey))
    for owner in _unique(journey.owners):
        yield Page(links.owner(owner.id), "owner.html", owner.name or owner.id, {
            "owner": owner,
            "touchpoints": [t for s in journey.stages for t in s.touchpoints if t.owner == owner.id],
            "experiments": [e for e in journey.experiments if e.owner == owner.id],
            "briefs": [b for b in journey.briefs if b.owner == owner.id],
            "gaps": site.owner_findings(owner.id),
        }, owner.origin.file, descriptions.owner_page(owner, site.owned(owner.id), journey))
    yield Page(links.BRIEFS, "briefs.html", "Campaign briefs", {}, journey.prefix + "briefs/",
               descriptions.list_page("briefs.html", journey))
    for brief in _unique(journey.briefs):
        stage = journey.stage(brief.stage)
        yield Page(links.brief(brief.id), "brief.html", brief.title, {"brief": brief, "stage": stage},
                   brief.origin.file, descriptions.brief_page(brief.title, stage, journey))
    yield from _experiment_pages(journey)
    yield Page(links.EVIDENCE, "evidence-list.html", "Evidence", {}, journey.prefix + "evidence/",
               descriptions.list_page("evidence-list.html", journey))
    for note in _unique(journey.evidence):
        stages = [s for s in journey.stages if note in journey.evidence_for(s)]
        yield Page(links.evidence(note.id), "evidence.html", note.title, {"note": note, "stages": stages},
                   note.origin.file, descriptions.evidence_page(note.title, note.kind, stages, journey))


def _stage_pages(journey: Journey, site: Site) -> Iterator[Page]:
    """The list of stages (orphan stage files too) and a page per stage."""
    all_columns = columns(journey, site, with_orphans=True)
    yield Page(links.STAGES, "stages.html", "Stages", {"columns": all_columns}, journey.prefix + "stages/",
               descriptions.list_page("stages.html", journey))
    for column in all_columns:
        stage = column.stage
        previous_stage, next_stage = neighbours(journey, stage)
        yield Page(links.stage(stage.id), "stage.html", stage.name, {
            "column": column, "stage": stage, "diagram": diagrams.stage_touchpoints(journey, stage, "../"),
            "briefs": journey.briefs_for(stage.id), "experiments": journey.experiments_for(stage.id),
            "evidence": journey.evidence_for(stage), "phase": journey.phase_of(stage),
            "previous_stage": previous_stage, "next_stage": next_stage,
        }, stage.origin.file, descriptions.stage_page(stage, journey))


def neighbours(journey: Journey, stage: Stage) -> tuple[Stage | None, Stage | None]:
    """The stages before and after this one in the journey's order; none for a stage file not on the map."""
    order = _unique(journey.stages)
    at = next((i for i, s in enumerate(order) if s is stage), None)
    if at is None:
        return None, None
    return (order[at - 1] if at > 0 else None), (order[at + 1] if at + 1 < len(order) else None)


def _experiment_pages(journey: Journey) -> Iterator[Page]:
    """The board of experiments by status, and a page per experiment."""
    # statuses outside the format (already findings) get a column too, so no experiment drops off the board
    statuses = EXPERIMENT_STATUSES + sorted({e.status or "no status" for e in journey.experiments}
                                            - set(EXPERIMENT_STATUSES))
    board = {status: [e for e in journey.experiments if (e.status or "no status") == status] for status in statuses}
    yield Page(links.EXPERIMENTS, "experiments.html", "Experiments", {"board": board}, journey.prefix + "experiments/",
               descriptions.list_page("experiments.html", journey))
    for experiment in _unique(journey.experiments):
        yield Page(links.experiment(experiment.id), "experiment.html", experiment.name, {
            "experiment": experiment, "stage": journey.stage(experiment.stage),
        }, experiment.origin.file, descriptions.experiment_page(experiment.name, experiment.hypothesis, journey))


def _unique(items: list) -> list:
    """One page per id: duplicates are reported as findings and would overwrite each other."""
    seen: set[str] = set()
    result = []
    for item in items:
        if item.id and item.id not in seen and SLUG.match(item.id):
            seen.add(item.id)
            result.append(item)
    return result


def _first_file(items: list, default: str) -> str:
    return items[0].origin.file if items else default
