"""Stages: each has the customer's job, touchpoints, a brief and evidence behind it."""

from __future__ import annotations

from collections.abc import Iterator

from ...util.suggest import closest
from ..findings import Gap, Severity
from ..model import Journey
from .registry import rule


@rule("missing-job", Severity.ERROR)
def missing_job(journey: Journey) -> Iterator[Gap]:
    """A stage has no customer job.

    Why: the job is what the customer is trying to get done at this stage;
    without it the stage describes the funnel, not the customer.

    Fails:
        id: evaluation
        name: Evaluation

    Passes:
        id: evaluation
        name: Evaluation
        job: Prove ROI to her CFO
    """
    for stage in journey.stage_files:
        if not stage.job:
            yield Gap(stage.origin.at("job"), f"stage `{stage.id}` has no customer job: add `job:` saying what "
                                              "the customer wants done here, in their words")


@rule("empty-stage", Severity.WARNING)
def empty_stage(journey: Journey) -> Iterator[Gap]:
    """A stage has no touchpoints.

    Why: a stage nobody touches is either a blind spot in the map or a stage
    the customer passes through alone; both deserve a line.

    Fails:
        touchpoints: []

    Passes:
        touchpoints:
          - {id: pricing-page, name: Pricing page, owner: web-team}
    """
    for stage in journey.stage_files:
        if not stage.touchpoints:
            yield Gap(stage.origin.at("touchpoints"), f"stage `{stage.id}` has no touchpoints: add "
                                                      "`touchpoints:` with at least one `- id: …, name: …, owner: …`")


@rule("unbriefed-stage", Severity.WARNING)
def unbriefed_stage(journey: Journey) -> Iterator[Gap]:
    """No campaign brief serves this stage.

    Why: a stage without a brief is a stage nobody is working to improve.

    Fails:
        # no file in briefs/ has `stage: onboarding`

    Passes:
        # briefs/onboarding-webinars.md
        ---
        title: Onboarding webinar series
        stage: onboarding
        ---
    """
    if journey.incomplete("briefs/"):
        return  # a misnamed briefs/ folder (or an unreadable brief) may well serve every stage
    meant = {closest(b.stage, [s.id for s in journey.stages]) for b in journey.briefs if not journey.stage(b.stage)}
    for stage in journey.stages:
        if not journey.briefs_for(stage.id) and stage.id not in meant:  # `stage: Adopt` meant adopt: one finding
            yield Gap(stage.origin.at("id"), f"no brief serves stage `{stage.id}`: add briefs/<name>.md with "
                                             f"`stage: {stage.id}` in its front matter")


@rule("no-evidence", Severity.WARNING)
def no_evidence(journey: Journey) -> Iterator[Gap]:
    """A stage cites no evidence: it is a hypothesis, not a journey.

    Why: a map drawn from the team's assumptions repeats them. A stage counts
    as evidenced when it lists `evidence:` ids or an evidence note names it
    in its `stages:`.

    Fails:
        id: research
        # no `evidence:`, and no evidence/*.md names research

    Passes:
        id: research
        evidence: [interview-2026-09-acme]
    """
    if journey.incomplete("evidence/"):
        return
    for stage in journey.stage_files:
        if not journey.evidence_for(stage) and not stage.evidence:
            yield Gap(stage.origin.at("id"), f"stage `{stage.id}` cites no evidence: add `evidence:` with ids of "
                                             "evidence/*.md notes (interviews, CRM, support tickets)")
