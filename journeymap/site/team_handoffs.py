"""The hand-off page's point, in words: which team passes customers to which, and whether it wrote how.

A `next` from one team's touchpoint to another team's is a hand-off; it is written when the
touchpoint says how (`handoff:`), missing when `journey.handoff_gap` says so (the same test as the
`handoff-gap` check). Teams that pass customers on with any hand-off missing come first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.model import Journey, Touchpoint


@dataclass
class TeamHandoff:
    """Every hand-off from one team to another."""

    source: str  # owner ids
    target: str
    written: list[tuple[Touchpoint, Touchpoint]] = field(default_factory=list)
    missing: list[tuple[Touchpoint, Touchpoint]] = field(default_factory=list)


def team_handoffs(journey: Journey) -> list[TeamHandoff]:
    """One entry per pair of teams, those with missing hand-offs first, then in owners.yaml's order."""
    pairs: dict[tuple[str, str], TeamHandoff] = {}
    for source in journey.touchpoints:
        for _, target in journey.next_of(source):
            if not source.owner or not target.owner or source.owner == target.owner:
                continue
            missing, written = journey.handoff_gap(source, target), bool(source.handoff)
            if missing or written:
                pair = pairs.setdefault((source.owner, target.owner), TeamHandoff(source.owner, target.owner))
                (pair.missing if missing else pair.written).append((source, target))
    order = {owner.id: index for index, owner in enumerate(journey.owners)}
    return sorted(pairs.values(), key=lambda p: (not p.missing, order.get(p.source, len(order)),
                                                 order.get(p.target, len(order)), p.source, p.target))
