"""journeymap/core/rules/stages.py, what a stage holds: missing-job, empty-stage, unbriefed-stage, no-evidence.

CASES holds each rule's map that triggers it and its near miss; test_every_rule.py runs them.
"""

from __future__ import annotations

from ..conftest import CLEAN_MAP
from .cases import ADOPT, SPARK, Case

CASES = [
    Case("missing-job", {ADOPT: ("job: Get the team using it\n", "")}, ADOPT, "id: adopt",
         passing={ADOPT: ("job: Get the team using it\n", "job: Use it\n")}),
    Case("empty-stage", {ADOPT: (CLEAN_MAP[ADOPT][CLEAN_MAP[ADOPT].index("touchpoints:"):],
                                 "touchpoints: []\n"),
                         SPARK: ("    next: [welcome]\n    handoff: Marketing passes the lead to CS in the CRM\n",
                                 ""),
                         "owners.yaml": ("  - id: cs\n    name: Customer Success\n    department: Customer Success\n",
                                         "")}, ADOPT, "touchpoints: []",
         passing={ADOPT: (CLEAN_MAP[ADOPT][CLEAN_MAP[ADOPT].index("touchpoints:"):],
                          "touchpoints: [{id: welcome, name: Welcome, owner: cs}]\n")}),
    Case("unbriefed-stage", {"briefs/adopt-brief.md": None}, ADOPT, "id: adopt",
         passing={"briefs/adopt-brief.md": ("stage: adopt", "stage: adopt\nowner: cs")}),
    Case("no-evidence", {"evidence/talk.md": ("stages: [adopt]\n", "")}, ADOPT, "id: adopt",
         passing={"evidence/talk.md": ("stages: [adopt]\n", "stages: [adopt, spark]\n")}),
]
