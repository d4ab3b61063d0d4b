"""A portfolio's own pages: every journey at a glance, a page per shared team, one search over all.

Each journey of a portfolio is a whole site of its own under `<slug>/`; these pages sit above
them at the portfolio root and only link down into them, so a journey's site still stands alone.
The figures come from the model (`Journey.shown_weakest_link`, `shown_slowest_stage`, metrics)
and the check's findings, never recomputed here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..core.check import Checked
from ..core.findings import Finding, Severity
from ..core.model import SLUG, Journey, Metric, Owner, Stage, Touchpoint, Transition
from . import links, wording
from .pages import by_file, gaps_by_owner
from .pages import gaps as page_gaps
from .render import render_template
from .search import portfolio_search_index
from .writer import write_text


@dataclass(frozen=True)
class StageHealth:
    """One stage's health metric against its target, in words (the page never says it in colour alone)."""

    stage: Stage
    metric: Metric | None

    @property
    def status(self) -> str:
        metric = self.metric
        if metric is None:
            return "no health metric"
        if metric.value is None:
            return "not measured"
        if metric.on_target is None:
            return "no target"
        if metric.on_target:
            return "on target"
        return "above target" if metric.better == "lower" else "below target"

    @property
    def state(self) -> str:
        """on, off or missing: the CSS class (and icon) beside the words."""
        return {"on target": "on", "below target": "off", "above target": "off"}.get(self.status, "missing")


@dataclass(frozen=True)
class JourneyCard:
    """What the portfolio index says about one journey."""

    journey: Journey
    weakest: Transition | None
    slowest: Stage | None
    errors: int  # in the journey's own files: the shared owners.yaml's are counted once, for the portfolio
    warnings: int
    health: list[StageHealth]


@dataclass(frozen=True)
class TeamInJourney:
    """What one team owns in one journey, and the gaps there with its name on them."""

    journey: Journey
    touchpoints: list[Touchpoint]
    gaps: list[Finding]


@dataclass(frozen=True)
class Team:
    """A team of the shared owners.yaml, across every journey of the portfolio."""

    owner: Owner
    page: str  # from the portfolio root
    journeys: list[TeamInJourney]  # those where it owns a touchpoint or has a gap
    shared_gaps: list[Finding]  # about its entry in the shared owners.yaml: shown once, not per journey

    @property
    def touchpoint_count(self) -> int:
        return sum(len(j.touchpoints) for j in self.journeys)

    @property
    def gap_count(self) -> int:
        return len(self.shared_gaps) + sum(len(j.gaps) for j in self.journeys)


def _teams_folder(checked: Checked) -> str:
    """`teams/`, beside the journeys' folders; another name when a journey's folder is called so, which
    would otherwise have its own pages overwritten."""
    slugs = {j.slug for j in checked.journeys}
    return next(name for name in (links.TEAMS, f"{links.TEAMS}-all", f"{links.TEAMS}-of-portfolio")
                if name not in slugs)


def journey_cards(checked: Checked) -> list[JourneyCard]:
    cards = []
    for journey in checked.journeys:
        own = [f for f in checked.findings_of(journey) if not in_shared_file(f)]
        cards.append(JourneyCard(
            journey, journey.shown_weakest_link(), journey.shown_slowest_stage(),
            sum(f.severity is Severity.ERROR for f in own), sum(f.severity is Severity.WARNING for f in own),
            [StageHealth(stage, stage.health) for stage in journey.stages]))
    return cards


def in_shared_file(finding: Finding) -> bool:
    """About a file at the portfolio's root (its owners.yaml), which every journey shares."""
    return "/" not in finding.location.file


class PortfolioFindings:
    """What the findings macros ask of `site` on a portfolio's own pages: a finding in plain words, named
    by its file and line in the portfolio (each journey's own gaps page links to the line on GitHub)."""

    def plain_finding(self, finding: Finding) -> wording.PlainFinding:
        line = finding.location.line
        return wording.plain_finding(finding, finding.location.file + (f":{line}" if line else ""), None)


def _shared(owner: Owner) -> bool:
    """Defined in the portfolio's owners.yaml (at its root), not in one journey's own file."""
    return "/" not in owner.origin.file


def shared_teams(checked: Checked, folder: str) -> list[Team]:
    """Every team of the shared owners.yaml, in the file's order, each once (the first definition);
    its page is `<folder>/<id>.html`."""
    shared: dict[str, Owner] = {}
    for journey in checked.journeys:
        for owner in journey.owners:
            if _shared(owner) and owner.id:
                shared.setdefault(owner.id, owner)
    # a journey's gaps in its own files; those in the shared owners.yaml are the team's, shown once
    per_journey = [(j, _gaps_by_owner([*j.touchpoints, *j.owners],
                                      [f for f in page_gaps(checked.findings_of(j)) if not in_shared_file(f)]))
                   for j in checked.journeys]
    shared_file_gaps = _gaps_by_owner(list(shared.values()), page_gaps(checked.findings))
    owned_in = [_touchpoints_by_owner(journey) for journey, _ in per_journey]  # once, not once per team
    result = []
    for owner in shared.values():
        in_journeys = []
        for (journey, gaps), owned_by in zip(per_journey, owned_in, strict=True):
            owned = owned_by.get(owner.id, [])
            if owned or gaps.get(owner.id):
                in_journeys.append(TeamInJourney(journey, owned, gaps.get(owner.id, [])))
        result.append(Team(owner, f"{folder}/{links.file_name(owner.id)}.html", in_journeys,
                           shared_file_gaps.get(owner.id, [])))
    return result


def _touchpoints_by_owner(journey: Journey) -> dict[str, list[Touchpoint]]:
    """owner id → its touchpoints, in the journey's order (stage by stage)."""
    owned: dict[str, list[Touchpoint]] = {}
    for stage in journey.stages:
        for touchpoint in stage.touchpoints:
            if touchpoint.owner:  # an unowned touchpoint is no team's
                owned.setdefault(touchpoint.owner, []).append(touchpoint)
    return owned


def _gaps_by_owner(items: list[Touchpoint | Owner], gaps: list[Finding]) -> dict[str, list[Finding]]:
    """owner id → the gaps inside its items, in the order of `gaps` (the check's order)."""
    held = {owner_id: set(found) for owner_id, found in gaps_by_owner(items, by_file(gaps)).items()}
    return {owner_id: [g for g in gaps if g in found] for owner_id, found in held.items()}


def local_teams(checked: Checked) -> list[tuple[Journey, Owner]]:
    """Teams a journey keeps in its own owners.yaml: listed on the teams page, linked to that journey."""
    shared = {o.id for j in checked.journeys for o in j.owners if _shared(o)}
    return [(j, o) for j in checked.journeys for o in j.owners
            if not _shared(o) and o.id not in shared and SLUG.match(o.id)]


@dataclass
class PortfolioPages:
    """A portfolio's own pages, worked out once and written in shares: `shares` processes write them at once.

    Share 0 writes the index, the teams page and the search index; every share writes its part of
    the team pages (on a large portfolio, thousands of rows each).
    """

    checked: Checked
    shares: int = 1

    @functools.cached_property
    def teams(self) -> list[Team]:
        return shared_teams(self.checked, self.teams_folder)

    @functools.cached_property
    def teams_folder(self) -> str:
        return _teams_folder(self.checked)

    def write(self, env: jinja2.Environment, folder: Path, share: int = 0) -> int:
        """Write one share of the pages into `folder`; the number of pages written."""
        checked, teams_index = self.checked, f"{self.teams_folder}/{links.INDEX}"

        def write(path: str, template: str, **context: object) -> None:
            write_text(folder, path, render_template(
                env, template, path, root=links.root_of(path), here=path, checked=checked, journeys=checked.journeys,
                findings=checked.findings, teams_index=teams_index, site=PortfolioFindings(), **context))

        mine = self.teams[share::self.shares]
        if share == 0:
            write(links.INDEX, "portfolio.html", cards=journey_cards(checked), teams=self.teams,
                  shared_gaps=[f for f in page_gaps(checked.findings) if in_shared_file(f)])
            write(teams_index, "portfolio-teams.html", teams=self.teams, local_teams=local_teams(checked))
            write_text(folder, "assets/search-index.js", portfolio_search_index(
                checked.journeys, [(t.owner, t.page) for t in self.teams]))
        for team in mine:
            write(team.page, "portfolio-team.html", team=team)
        return len(mine) + (2 if share == 0 else 0)
