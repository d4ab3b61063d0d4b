"""A generated map of any size: for the readability test and the benchmark."""

from __future__ import annotations

from pathlib import Path

STAGE_NAMES = ["Trigger", "Research", "Consideration", "Evaluation", "Purchase", "Onboarding", "Expansion"]


def write_big_map(folder: Path, stages: int = 7, touchpoints: int = 10, owners: int = 8) -> Path:
    """`stages` stages × `touchpoints` touchpoints, every rule satisfied, long names to stress the layout."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = [f"stage-{i + 1}" for i in range(stages)]
    (folder / "journey.yaml").write_text(
        "title: Generated journey\nreview: {cadence_days: 90, last_reviewed: 2026-11-01}\n"
        f"stages: [{', '.join(ids)}]\n", encoding="utf-8")
    (folder / "owners.yaml").write_text("owners:\n" + "".join(
        f"  - {{id: team-{o}, name: Team number {o} with a long name, department: Marketing}}\n"
        for o in range(owners)), encoding="utf-8")
    for folder_name in ("stages", "briefs", "evidence"):
        (folder / folder_name).mkdir(exist_ok=True)
    for s, stage_id in enumerate(ids):
        lines = [f"id: {stage_id}", f"name: {STAGE_NAMES[s % len(STAGE_NAMES)]} {s + 1}",
                 f"job: Get job {s + 1} done without waiting on anybody else in the company",
                 f"emotion: {(s % 5) - 2}", f"cycle_time_days: {10 + s * 3}", f"evidence: [note-{stage_id}]",
                 "metrics:",
                 f"  volume: {{name: Accounts, value: {10000 // (s + 1)}, target: {12000 // (s + 1)}, "
                 "history: {2026-Q1: 80, 2026-Q2: 90}}",
                 "  health: {name: Rate, value: 0.4, target: 0.5, unit: ratio}", "touchpoints:"]
        for t in range(touchpoints):
            tp_id = f"{stage_id}-tp-{t + 1}"
            next_id = f"{stage_id}-tp-{t + 2}" if t + 1 < touchpoints else (
                f"{ids[s + 1]}-tp-1" if s + 1 < stages else None)
            lines += [f"  - id: {tp_id}",
                      f"    name: Touchpoint {t + 1} of stage {s + 1}, with a rather long descriptive name",
                      f"    owner: team-{(s + t) % owners}", "    channel: email and video call",
                      "    initiator: company", "    intent: high", "    response_sla_hours: 4"]
            if next_id:
                lines += [f"    next: [{next_id}]", "    handoff: Written down in the CRM"]
        (folder / "stages" / f"{stage_id}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (folder / "briefs" / f"brief-{stage_id}.md").write_text(
            f"---\ntitle: Brief for {stage_id}\nstage: {stage_id}\n---\nBody.\n", encoding="utf-8")
        (folder / "evidence" / f"note-{stage_id}.md").write_text(
            f"---\ntitle: Note {stage_id}\nkind: interview\ndate: 2026-10-01\n---\nNotes.\n", encoding="utf-8")
    return folder
