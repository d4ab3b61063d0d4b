"""References between files: stages, touchpoints, personas, phases and evidence that exist."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Gap, Location, Severity
from ..model import Journey
from ..suggest import did_you_mean
from .registry import rule


def _stage_exists(journey: Journey, stage_id: str) -> bool:
    """A stage whose file exists but could not be parsed is not reported as unknown too."""
    return journey.stage(stage_id) is not None or any(
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
            yield Gap(location, f"journey.yaml lists stage `{stage_id}` but there is no stages/{stage_id}.yaml: "
                                f"create it, or {did_you_mean(stage_id, stage_ids, 'stage')}")
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
    touchpoints = {t.id for t in journey.touchpoints}
    if journey.incomplete("stages/"):
        touchpoints = _Everything()
    for t in journey.touchpoints:
        for index, next_id in enumerate(t.next):
            if next_id not in touchpoints:
                yield _missing(t.origin.at("next", index), f"touchpoint `{t.id}`", "touchpoint", next_id,
                               touchpoints)
    items = [("brief", b) for b in journey.briefs] + [("experiment", e) for e in journey.experiments]
    for kind, item in items:
        for index, touchpoint_id in enumerate(item.touchpoints):
            if touchpoint_id not in touchpoints:
                yield _missing(item.origin.at("touchpoints", index), f"{kind} `{item.id}`", "touchpoint",
                               touchpoint_id, touchpoints)
    personas = {p.id for p in journey.personas}
    if journey.persona and not journey.incomplete("personas.") and journey.persona not in personas:
        yield _missing(journey.origin.at("persona"), "journey.yaml", "persona", journey.persona, personas)
    phases = {p.id for p in journey.phases}
    evidence = {n.id for n in journey.evidence}
    if journey.incomplete("evidence/"):
        evidence = _Everything()
    for stage in journey.stage_files:
        if stage.phase and stage.phase not in phases:
            yield _missing(stage.origin.at("phase"), f"stage `{stage.id}`", "phase", stage.phase, phases)
        for index, note in enumerate(stage.evidence):
            if note not in evidence:
                yield _missing(stage.origin.at("evidence", index), f"stage `{stage.id}`", "evidence", note,
                               evidence)


class _Everything(set):
    """Stands in for ids that may live in a file that could not be read: nothing is unknown."""

    def __contains__(self, item: object) -> bool:
        return True


def _missing(location: Location, who: str, kind: str, name: str, known: set[str]) -> Gap:
    return Gap(location, f"{who} names {kind} `{name}`, which does not exist: {did_you_mean(name, known, kind)}")


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
    listed = {stage_id for stage_id, _ in journey.stage_order}
    for stage in journey.stage_files:
        if stage.id and stage.id not in listed and stage.origin.document.stem not in listed:
            yield Gap(stage.origin.at("id"), f"stage `{stage.id}` is not in journey.yaml's `stages:` list: add "
                                             "it where it belongs in the order, or delete the file")
