"""References between files: stages, touchpoints, personas, phases and evidence that exist."""

from __future__ import annotations

from collections.abc import Iterator

from ...util.suggest import did_you_mean
from ..findings import Gap, Location, Severity
from ..model import Journey
from .registry import rule


def _stage_exists(journey: Journey, stage_id: str) -> bool:
    """A stage whose file exists but could not be parsed is not reported as unknown too, nor any stage
    while the stages/ folder itself is misnamed."""
    return journey.stage(stage_id) is not None or "stages/" in journey.unreadable or any(
        path.split("/")[-1].rsplit(".", 1)[0] == stage_id for path in journey.unreadable
        if path.startswith("stages/"))


@rule("unknown-stage", Severity.ERROR)
def unknown_stage(journey: Journey) -> Iterator[Gap]:
    """A brief, experiment, evidence note or the stage list names a stage that does not exist.

    Why: a brief pointed at a missing stage serves nobody; a listed stage
    without a file leaves a hole in the journey.

    Fails:
        ---
        title: Security questionnaire campaign
        stage: evalution
        ---

    Passes:
        ---
        title: Security questionnaire campaign
        stage: evaluation
        ---
    """
    stage_ids = [s.id for s in journey.stage_files]
    for stage_id, location in journey.stage_order:
        if not _stage_exists(journey, stage_id):
            instead = f", or {did_you_mean(stage_id, stage_ids, 'stage')}" if stage_ids else ""
            yield Gap(location, f"journey.yaml lists stage `{stage_id}` but there is no stages/{stage_id}.yaml: "
                                f"create it with `id: {stage_id}`{instead}")
    named: list[tuple[str, str, str, Location]] = []
    named += [("brief", b.id, b.stage, b.origin.at("stage")) for b in journey.briefs]
    named += [("experiment", e.id, e.stage, e.origin.at("stage")) for e in journey.experiments]
    named += [("evidence", n.id, s, n.origin.at("stages", i)) for n in journey.evidence
              for i, s in enumerate(n.stages)]
    for kind, item_id, stage_id, location in named:
        if stage_id and not _stage_exists(journey, stage_id):
            yield Gap(location, f"{kind} `{item_id}` names stage `{stage_id}`, which does not exist: "
                                f"{did_you_mean(stage_id, stage_ids, 'stage')}")


@rule("unknown-reference", Severity.ERROR)
def unknown_reference(journey: Journey) -> Iterator[Gap]:
    """A touchpoint, persona, phase or evidence id that does not exist.

    Why: a `next:` to a missing touchpoint breaks the hand-off graph; a stage
    citing missing evidence only looks evidenced.

    Fails:
        next: [trial-sigup]

    Passes:
        next: [trial-signup]
    """
    named: list[tuple[Location, str, str, str]] = []  # (where, who, kind, the id named)
    for t in journey.touchpoints:
        named += [(t.origin.at("next", i), f"touchpoint `{t.id}`", "touchpoint", n) for i, n in enumerate(t.next)]
    for kind, items in (("brief", journey.briefs), ("experiment", journey.experiments)):
        named += [(item.origin.at("touchpoints", i), f"{kind} `{item.id}`", "touchpoint", n)
                  for item in items for i, n in enumerate(item.touchpoints)]
    if journey.persona:
        named.append((journey.origin.at("persona"), "journey.yaml", "persona", journey.persona))
    for stage in journey.stage_files:
        if stage.phase:
            named.append((stage.origin.at("phase"), f"stage `{stage.id}`", "phase", stage.phase))
        named += [(stage.origin.at("evidence", i), f"stage `{stage.id}`", "evidence", n)
                  for i, n in enumerate(stage.evidence)]
    known = {"touchpoint": {t.id for t in journey.touchpoints}, "persona": {p.id for p in journey.personas},
             "phase": {p.id for p in journey.phases}, "evidence": {n.id for n in journey.evidence}}
    # ids may live in a file that could not be read; then nothing of that kind is called unknown
    unjudgeable = {kind for kind, files in (("touchpoint", "stages/"), ("persona", "personas."),
                                            ("evidence", "evidence/"), ("phase", "journey."))
                   if journey.incomplete(files)}
    for location, who, kind, name in named:
        if kind not in unjudgeable and name not in known[kind]:
            yield Gap(location, f"{who} names {kind} `{name}`, which does not exist: "
                                f"{did_you_mean(name, known[kind], kind)}")


@rule("orphan-stage", Severity.WARNING)
def orphan_stage(journey: Journey) -> Iterator[Gap]:
    """A stages/ file that journey.yaml does not list.

    Why: an unlisted stage never appears on the map; either it belongs in the
    journey's order or the file is left over.

    Fails:
        # stages/advocacy.yaml exists, journey.yaml says
        stages: [trigger, research, purchase]

    Passes:
        stages: [trigger, research, purchase, advocacy]
    """
    if journey.incomplete("journey."):
        return  # the stage list could not be read: no stage is known to be left out
    listed = {stage_id for stage_id, _ in journey.stage_order}
    for stage in journey.stage_files:
        if stage.id and stage.id not in listed and stage.origin.document.stem not in listed:
            yield Gap(stage.origin.at("id"), f"stage `{stage.id}` is not in journey.yaml's `stages:` list: add "
                                             "it where it belongs in the order, or delete the file")
