"""journeymap/core/rules/ownership.py, who owns what:
unowned-touchpoint, unknown-owner, high-intent-no-sla, handoff-gap, idle-owner.

CASES holds each rule's map that triggers it and its near miss; test_every_rule.py runs them.
"""

from __future__ import annotations

from pathlib import Path

from ..conftest import CLEAN_MAP
from .cases import ADOPT, SPARK, Case, findings_for

CASES = [
    Case("unowned-touchpoint", {ADOPT: ("    owner: cs\n", "")}, ADOPT, "- id: welcome",
         passing={ADOPT: ("    owner: cs\n", "    owner: css\n")}),  # owned, if by an unknown team
    Case("unowned-touchpoint", {ADOPT: ("    owner: cs\n", "    owner:\n")}, ADOPT, "owner:"),
    Case("unknown-owner", {ADOPT: ("    owner: cs\n", "    owner: css\n")}, ADOPT, "owner: css",
         passing={ADOPT: ("    owner: cs\n", "    owner: mkt\n")}),
    Case("unknown-owner", {"briefs/spark-brief.md": ("owner: mkt", "owner: marketing")},
         "briefs/spark-brief.md", "owner: marketing"),
    Case("high-intent-no-sla", {SPARK: ("    response_sla_hours: 4\n", "")}, SPARK, "intent: high",
         passing={SPARK: ("    response_sla_hours: 4\n    next", "    response_sla_hours: 0.5\n    next")}),
    Case("handoff-gap", {SPARK: ("    handoff: Marketing passes the lead to CS in the CRM\n", "")}, SPARK,
         "next: [welcome]", passing={SPARK: ("    handoff: Marketing passes the lead to CS in the CRM\n", ""),
                                     ADOPT: ("    owner: cs\n", "    owner: mkt\n")}),  # same team: no hand-off
    Case("idle-owner", {"owners.yaml": ("    department: Customer Success\n",
                                        "    department: Customer Success\n  - id: partners\n    name: Partners\n"
                                        "    department: Sales\n")}, "owners.yaml", "- id: partners",
         passing={"owners.yaml": ("    department: Customer Success\n",
                                  "    department: Customer Success\n  - id: partners\n    name: Partners\n"
                                  "    department: Sales\n"),
                  ADOPT: CLEAN_MAP[ADOPT] + "  - {id: partner-call, name: Partner call, owner: partners}\n"}),
]


def test_a_team_under_a_misspelt_owner_key_is_not_idle(tmp_path: Path) -> None:
    # `ownr: mkt` is mkt's only touchpoint: the schema says `ownr` is a typo; mkt is not also told it owns nothing
    findings, _ = findings_for(tmp_path, {SPARK: ("    owner: mkt\n", "    ownr: mkt\n")})
    assert [f.rule for f in findings if f.rule in ("idle-owner", "unowned-touchpoint", "schema")] == ["schema"]
