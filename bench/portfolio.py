"""A generated portfolio of any size, shaped like a company that maps seriously.

Default: 40 journeys × 7 stages × 36 touchpoints (10,080 touchpoints), 20 briefs
a journey, 50 teams in one shared owners.yaml. Every rule is satisfied except
what a real map has: a few hand-offs unwritten, a few SLAs missing.
"""

from __future__ import annotations

import math
from pathlib import Path

STAGES = ["trigger", "research", "consideration", "evaluation", "purchase", "onboarding", "expansion"]


def shape_for(touchpoints: int, stages: int = 7, per_stage: int = 36) -> int:
    """How many journeys hold `touchpoints` touchpoints at `per_stage` a stage."""
    return max(1, math.ceil(touchpoints / (stages * per_stage)))


def write_portfolio(root: Path, journeys: int = 40, per_stage: int = 36, briefs: int = 20, teams: int = 50) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "owners.yaml").write_text("owners:\n" + "".join(
        f"  - id: team-{t}\n    name: Team {t} of {['Marketing', 'Sales', 'Customer Success'][t % 3]}\n"
        f"    department: {['Marketing', 'Sales', 'Customer Success'][t % 3]}\n    lead: Lead {t}\n"
        for t in range(teams)), encoding="utf-8")
    for j in range(journeys):
        _write_journey(root / f"journey-{j + 1:03d}", j, per_stage, briefs, teams)
    return root


def _write_journey(folder: Path, j: int, per_stage: int, briefs: int, teams: int) -> None:
    for name in ("stages", "briefs", "evidence", "experiments"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    (folder / "journey.yaml").write_text(
        f"# Journey {j + 1}\ntitle: Segment {j + 1} — new-logo journey\n"
        "review:\n  cadence_days: 90\n  last_reviewed: 2026-11-01\n"
        "phases:\n  - {id: awareness, name: Awareness, goal: Be found}\n"
        "  - {id: decision, name: Decision, goal: Be chosen}\n  - {id: success, name: Success, goal: Stay}\n"
        f"stages: [{', '.join(STAGES)}]\n", encoding="utf-8")
    for s, stage in enumerate(STAGES):
        phase = "awareness" if s < 2 else "decision" if s < 5 else "success"
        volume = 20000 // (s + 1) + j
        lines = [f"# {stage} of journey {j + 1}", f"id: {stage}", f"name: {stage.title()}", f"phase: {phase}",
                 f"job: Get step {s + 1} done without waiting on anybody", f"milestone: Has finished step {s + 1}",
                 f"emotion: {(s % 5) - 2}", f"cycle_time_days: {5 + (s * 7 + j) % 40}", f"evidence: [{stage}-note]",
                 "metrics:", "  volume:", "    name: Accounts", f"    value: {volume}",
                 f"    target: {int(volume * 1.1)}", "    history: {2026-Q2: " + str(volume - 50) + "}",
                 "  health:", "    name: Rate", "    value: 0.4", "    target: 0.5", "    unit: ratio",
                 "touchpoints:"]
        for t in range(per_stage):
            tp = f"{stage}-{t + 1}"
            owner = f"team-{(j * 7 + s + t) % teams}"
            lines += [f"  - id: {tp}", f"    name: Touchpoint {t + 1} of {stage.title()}", f"    owner: {owner}",
                      "    channel: email", f"    initiator: {['company', 'customer', 'third-party'][t % 3]}",
                      f"    intent: {['high', 'medium', 'low'][t % 3]}"]
            if t % 3 == 0 and t % 30 != 0:
                lines.append("    response_sla_hours: 4")
            if t + 1 < per_stage:
                lines += [f"    next: [{stage}-{t + 2}]"]
                if t % 25:
                    lines.append("    handoff: Logged in the CRM")
        (folder / "stages" / f"{stage}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (folder / "evidence" / f"{stage}-note.md").write_text(
            f"---\ntitle: Interviews about {stage}\nkind: interview\ndate: 2026-10-01\n---\nWhat we heard.\n",
            encoding="utf-8")
    for b in range(briefs):
        stage = STAGES[b % len(STAGES)]
        (folder / "briefs" / f"brief-{b + 1}.md").write_text(
            f"---\ntitle: Campaign {b + 1}\nstage: {stage}\nowner: team-{b % teams}\nstatus: live\n---\n"
            f"# Campaign {b + 1}\n\nWhy, for whom, and **what** we measure.\n\n- one\n- two\n", encoding="utf-8")
    (folder / "experiments" / "faster-reply.yaml").write_text(
        "id: faster-reply\nstage: evaluation\nowner: team-1\nhypothesis: Faster replies convert better\n"
        "metric: health\nstatus: running\n", encoding="utf-8")
