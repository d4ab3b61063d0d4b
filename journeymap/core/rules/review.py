"""Review: a map nobody reviewed this quarter has quietly started to rot."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator

from ...util.words import plural
from ..findings import Gap, Severity
from ..model import Journey
from .registry import rule


def today() -> dt.date:
    """Today, or JOURNEYMAP_TODAY (YYYY-MM-DD) so that builds and tests are reproducible."""
    fixed = os.environ.get("JOURNEYMAP_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


@rule("stale-review", Severity.WARNING)
def stale_review(journey: Journey) -> Iterator[Gap]:
    """`last_reviewed` is older than `cadence_days` (default 90).

    Why: journeys change every quarter; a map that nobody reviewed misleads
    the teams who plan from it.

    Fails:
        review: {cadence_days: 90, last_reviewed: 2025-01-15}

    Passes:
        review: {cadence_days: 90, last_reviewed: 2026-10-01}   # within 90 days of today
    """
    if journey.last_reviewed is None:
        return
    age = (today() - journey.last_reviewed).days
    if age > journey.cadence_days:
        yield Gap(journey.origin.at("review", "last_reviewed"),
                  f"the map was last reviewed {plural(age, 'day')} ago, more than the "
                  f"{journey.cadence_days}-day cadence: "
                  f"review it with the owning teams and set `last_reviewed: {today().isoformat()}`")
