"""journeymap/core/rules/review.py, the review date: stale-review.

CASES holds each rule's map that triggers it and its near miss; test_every_rule.py runs them.
"""

from __future__ import annotations

import pytest

from .cases import Case

CASES = [
    Case("stale-review", {"journey.yaml": ("last_reviewed: 2026-11-01", "last_reviewed: 2026-01-15")},
         "journey.yaml", "last_reviewed", passing={"journey.yaml": ("last_reviewed: 2026-11-01",
                                                                    "last_reviewed: 2026-08-26")}),
]


def test_today_is_fixed_by_journeymap_today(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from journeymap.core.rules.review import today

    monkeypatch.setenv("JOURNEYMAP_TODAY", "2031-02-03")  # far from the suite's own fixed day and the clock's
    assert today() == dt.date(2031, 2, 3)
    monkeypatch.delenv("JOURNEYMAP_TODAY")
    assert today() == dt.date.today()
