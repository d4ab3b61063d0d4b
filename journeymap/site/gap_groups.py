"""The gaps page's groups: each finding under the stage it is about, or under the whole journey.

A reader thinks in stages and teams, not in files: a finding in a stage's file, or in a brief or
experiment for that stage, is that stage's; one in journey.yaml, owners.yaml or a file that
serves no one stage is the whole journey's.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.findings import Finding
from ..core.model import Journey, Stage

WHOLE_JOURNEY = "whole-journey"


@dataclass(frozen=True)
class FindingGroup:
    title: str
    anchor: str  # the section's id; a stage's is its file's, which the map's cards link to
    stage: Stage | None  # None: the whole journey
    findings: list[Finding]


def stage_anchor(stage: Stage) -> str:
    """The id of a stage's group on the gaps page: its file with `-` for `/`, as cards link to it."""
    return stage.origin.file.replace("/", "-")


def by_stage(journey: Journey, findings: list[Finding]) -> list[FindingGroup]:
    """A group per stage with findings, in journey order (stage files not on the map after), then the
    whole journey's; within a group, errors first, then by place."""
    stage_of = _stage_of_file(journey)
    ordered = _unique_by_file([*journey.stages, *journey.stage_files])
    held: dict[str, list[Finding]] = {}
    for finding in findings:
        stage = stage_of.get(finding.location.file)
        held.setdefault(stage.origin.file if stage else WHOLE_JOURNEY, []).append(finding)
    groups = [FindingGroup(stage.name or stage.id, stage_anchor(stage), stage, _ordered(held[stage.origin.file]))
              for stage in ordered if stage.origin.file in held]
    if WHOLE_JOURNEY in held:
        groups.append(FindingGroup("Whole journey", WHOLE_JOURNEY, None, _ordered(held[WHOLE_JOURNEY])))
    return groups


def _stage_of_file(journey: Journey) -> dict[str, Stage]:
    """file → the stage it is about: the stage's own file, a brief's or experiment's for one stage, an
    evidence note cited by exactly one stage."""
    stage_of = {stage.origin.file: stage for stage in journey.stage_files}
    for file, stage_id in [*((b.origin.file, b.stage) for b in journey.briefs),
                           *((e.origin.file, e.stage) for e in journey.experiments)]:
        stage = journey.stage(stage_id) if stage_id else None
        if stage is not None:
            stage_of.setdefault(file, stage)
    for note in journey.evidence:
        citing = [stage for stage in journey.stages if note in journey.evidence_for(stage)]
        if len(citing) == 1:
            stage_of.setdefault(note.origin.file, citing[0])
    return stage_of


def _unique_by_file(stages: list[Stage]) -> list[Stage]:
    """Each stage file once: a stage on the map is also one of its stage files."""
    first: dict[str, Stage] = {}
    for stage in stages:
        first.setdefault(stage.origin.file, stage)
    return list(first.values())


def _ordered(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.severity.rank, f.sort_key()))
