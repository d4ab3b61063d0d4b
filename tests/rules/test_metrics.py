"""journeymap/core/rules/metrics.py, the numbers: missing-metric, unmeasured-metric, weakest-link.

CASES holds each rule's map that triggers it and its near miss; test_every_rule.py runs them.
"""

from __future__ import annotations

from pathlib import Path

from journeymap.core.check import check_map

from ..conftest import CLEAN_MAP, write_map
from .cases import ADOPT, SPARK, Case, findings_for

CASES = [
    Case("missing-metric", {ADOPT: ("  health:\n    name: Weekly active share\n    value: 0.5\n    unit: ratio\n",
                                    "")}, ADOPT, "metrics:",
         passing={ADOPT: ("  health:\n    name: Weekly active share\n    value: 0.5\n    unit: ratio\n",
                          "  health: {name: NPS}\n")}),  # named is enough: a value may come later
    Case("unmeasured-metric", {ADOPT: ("    name: Weekly active share\n    value: 0.5\n",
                                       "    name: Weekly active share\n")}, ADOPT, "  health:",
         passing={ADOPT: ("    value: 0.5\n", "    value: 0\n")}),  # zero is a measurement
    Case("weakest-link", {}, ADOPT, "value: 100",
         # no conversion into adopt (no volume value) and no cycle times: nothing to report
         passing={ADOPT: CLEAN_MAP[ADOPT].replace("    value: 100\n", "").replace("cycle_time_days: 20\n", ""),
                  SPARK: ("cycle_time_days: 10\n", "")}),
]


def test_relative_weakest_link_needs_every_target(tmp_path: Path) -> None:
    plain, _ = findings_for(tmp_path, {ADOPT: ("    target: 150\n", "")})
    message = next(f.message for f in plain if f.rule == "weakest-link" and "weakest" in f.message)
    assert "converts 10.0%" in message and "lowest conversion" in message  # adopt 100 of spark's 1000


def test_weakest_link_is_worded_with_its_target_and_shortfall(tmp_path: Path) -> None:
    findings, files = findings_for(tmp_path, {})
    message = next(f.message for f in findings if f.rule == "weakest-link" and "weakest" in f.message)
    # the clean map: spark 1000 → adopt 100 converts 10.0%; targets 1200 → 150 need 12.5%; 2.5 points short
    assert "Spark → Adopt converts 10.0%, 2.5 points short of the 12.5% its targets need" in message


def _funnel(tmp_path: Path, stages: list[tuple[str, int | None, int | None]]) -> Path:
    """A journey of stages given as (id, volume value, volume target); None leaves the number out."""
    files = {"journey.yaml": f"title: Funnel\nstages: [{', '.join(s for s, _, _ in stages)}]\n"}
    for stage_id, value, target in stages:
        numbers = (f"    value: {value}\n" if value is not None else "") + \
                  (f"    target: {target}\n" if target is not None else "")
        files[f"stages/{stage_id}.yaml"] = (f"id: {stage_id}\nname: {stage_id.title()}\njob: Move on\n"
                                            f"metrics:\n  volume:\n    name: Accounts\n{numbers}")
    return write_map(tmp_path / "funnel", files)


def test_targets_are_used_only_when_every_stage_has_one(tmp_path: Path) -> None:
    # a 1000 → b 500 → c 100: conversions 50% and 20%. With targets 1000, 1000, 100 the targets expect
    # 100% then 10%, so relative to them a→b reaches 0.5 and b→c 2.0: the weakest is a→b.
    # Without c's target the comparison is by plain conversion: the weakest is b→c (20%).
    with_targets = check_map(_funnel(tmp_path / "1", [("a", 1000, 1000), ("b", 500, 1000), ("c", 100, 100)]))
    without = check_map(_funnel(tmp_path / "2", [("a", 1000, 1000), ("b", 500, 1000), ("c", 100, None)]))
    assert [(t.conversion, t.relative) for t in with_targets.journey.transitions()] == [
        (500 / 1000, (500 / 1000) / (1000 / 1000)), (100 / 500, (100 / 500) / (100 / 1000))]
    assert [(t.conversion, t.relative) for t in without.journey.transitions()] == [(500 / 1000, None),
                                                                                  (100 / 500, None)]
    assert [t.source.id for t in (with_targets.journey.weakest_link(), without.journey.weakest_link())] == ["a", "b"]
    messages = [next(f.message for f in checked.findings if f.rule == "weakest-link" and "weakest" in f.message)
                for checked in (with_targets, without)]
    assert "A → B converts 50.0%, 50.0 points short of the 100.0% its targets need" in messages[0]
    assert "B → C converts 20.0%, the lowest conversion in the journey" in messages[1]


def test_relative_comparison_needs_every_transition_measured(tmp_path: Path) -> None:
    # Every stage has a target but c has no value, so b→c and c→d have no conversion. Relative to the
    # targets a→b (500/1000 against 1000/1000) is 0.5 and d→e (20/100 against 10/100) is 2.0, yet with
    # transitions unmeasured the comparison falls back to plain conversion: d→e's 20% beats a→b's 50%.
    checked = check_map(_funnel(tmp_path, [("a", 1000, 1000), ("b", 500, 1000), ("c", None, 100),
                                           ("d", 100, 100), ("e", 20, 10)]))
    link = checked.journey.weakest_link()
    assert (link.source.id, link.target.id, link.conversion) == ("d", "e", 20 / 100)


def test_no_conversion_out_of_a_stage_with_no_volume(tmp_path: Path) -> None:
    # a has 0 accounts: a→b has no conversion (not a division by zero); b 1 → c 1 converts 100%
    checked = check_map(_funnel(tmp_path, [("a", 0, None), ("b", 1, None), ("c", 1, None)]))
    assert [t.conversion for t in checked.journey.transitions()] == [None, 1 / 1]
    assert checked.journey.weakest_link().source.id == "b"


def test_a_target_below_zero_is_no_comparison_and_no_crash(tmp_path: Path) -> None:
    # every stage has a target, but a's is -1000: the targets' conversion out of it means nothing
    checked = check_map(_funnel(tmp_path, [("a", 1000, -1000), ("b", 500, 1000), ("c", 100, 100)]))
    assert [(t.conversion, t.relative) for t in checked.journey.transitions()] == [
        (500 / 1000, None), (100 / 500, (100 / 500) / (100 / 1000))]
