"""Ownership: every touchpoint has a team, every team is real, every hand-off is written down."""

from __future__ import annotations

from collections.abc import Iterator

from ...util.suggest import closest, did_you_mean
from ..findings import HANDOFF_GAP, UNKNOWN_OWNER, Gap, Severity
from ..model import Journey, Touchpoint
from ..schema import TOUCHPOINT
from .registry import rule


@rule("unowned-touchpoint", Severity.ERROR)
def unowned_touchpoint(journey: Journey) -> Iterator[Gap]:
    """A touchpoint has no owner.

    Why: a touchpoint nobody owns is one nobody improves, staffs or answers.
    Name the team so the gap has a name next to it.

    Fails:
        - id: review-site-listing
          name: G2 listing

    Passes:
        - id: review-site-listing
          name: G2 listing
          owner: product-marketing
    """
    for touchpoint in journey.touchpoints:
        if not touchpoint.owner and _misspelt_owner(touchpoint) is None:
            yield Gap(touchpoint.origin.at("owner"),
                      f"touchpoint `{touchpoint.id}` has no owner: add `owner:` with an id from owners.yaml")


def _misspelt_owner(touchpoint: Touchpoint) -> str | None:
    """The team under a misspelt `owner` key (`ownr: sales`): one mistake, which the schema's "did you mean
    `owner`?" reports; the touchpoint is not also unowned, nor its team idle."""
    written = touchpoint.origin.written
    if not isinstance(written, dict):
        return None
    for key, value in written.items():
        if isinstance(key, str) and key != "owner" and closest(key, TOUCHPOINT["properties"]) == "owner":
            return str(value)
    return None


@rule(UNKNOWN_OWNER, Severity.ERROR)
def unknown_owner(journey: Journey) -> Iterator[Gap]:
    """An owner id (of a touchpoint, experiment or brief) is not in owners.yaml.

    Why: a misspelt team is as good as no team: its pages and SLAs go missing.

    Fails:
        owner: sale

    Passes:
        owner: sales      # owners.yaml has `- id: sales`
    """
    if journey.incomplete("owners."):
        return
    known = {owner.id for owner in journey.owners}
    owned = [("touchpoint", t.id, t.owner, t.origin) for t in journey.touchpoints]
    owned += [("experiment", e.id, e.owner, e.origin) for e in journey.experiments]
    owned += [("brief", b.id, b.owner, b.origin) for b in journey.briefs]
    for kind, item_id, owner, origin in owned:
        if owner and owner not in known:
            yield Gap(origin.at("owner"), f"{kind} `{item_id}` names owner `{owner}`, which owners.yaml does "
                                          f"not define: {did_you_mean(owner, known, 'owner')}")


@rule("high-intent-no-sla", Severity.WARNING)
def high_intent_no_sla(journey: Journey) -> Iterator[Gap]:
    """A high-intent touchpoint has no response SLA.

    Why: a buyer who asks for a demo or a quote is hottest in the first hours;
    without `response_sla_hours` nobody knows how fast the owner must answer.

    Fails:
        - {id: demo-request, name: Demo request, owner: sdr, intent: high}

    Passes:
        - {id: demo-request, name: Demo request, owner: sdr, intent: high, response_sla_hours: 4}
    """
    for touchpoint in journey.touchpoints:
        if touchpoint.needs_sla:
            yield Gap(touchpoint.origin.at("intent"),
                      f"high-intent touchpoint `{touchpoint.id}` has no response SLA: add "
                      "`response_sla_hours:` (e.g. 4)")


@rule(HANDOFF_GAP, Severity.WARNING)
def handoff_gap(journey: Journey) -> Iterator[Gap]:
    """`next` crosses from one owner to another and no `handoff` is written.

    Why: leads are lost between teams. Where one team hands the customer to
    another, write down how (who books what, within which time). An owner
    owners.yaml does not define is `unknown-owner`'s finding alone (while that
    rule is on): a misspelt id is one mistake, not also a change of team.

    Fails:
        - {id: demo-call, owner: sales, next: [onboarding-kickoff]}   # owned by cs

    Passes:
        - id: demo-call
          owner: sales
          next: [onboarding-kickoff]
          handoff: AE introduces the CSM on the closing call
    """
    for touchpoint in journey.touchpoints:
        for index, target in journey.next_of(touchpoint):
            if journey.handoff_gap(touchpoint, target):
                yield Gap(touchpoint.origin.at("next", index),
                          f"`{touchpoint.id}` ({touchpoint.owner}) hands on to `{target.id}` ({target.owner}) "
                          "with no hand-off written: add `handoff:` saying how the change of owner is handled")


@rule("idle-owner", Severity.WARNING)
def idle_owner(journey: Journey) -> Iterator[Gap]:
    """An owner owns no touchpoint.

    Why: a team in owners.yaml that owns nothing is either missing from the
    journey or should be removed from the registry. In a portfolio, a team
    counts as busy when any journey gives it a touchpoint.

    Fails:
        owners:
          - {id: partner-team, name: Partnerships, department: Sales}   # no touchpoint names it

    Passes:
        an owner that at least one touchpoint names in `owner:`
    """
    if journey.incomplete("stages/"):
        return  # touchpoints in a file (or folder) that could not be read may well use every team
    owning = {touchpoint.owner or _misspelt_owner(touchpoint) for touchpoint in journey.touchpoints}
    owning |= journey.owners_used_elsewhere
    for owner in journey.owners:
        if owner.id and owner.id not in owning:
            yield Gap(owner.origin.at("id"), f"owner `{owner.id}` owns no touchpoint: give it a touchpoint's "
                                             "`owner:` or remove it from owners.yaml")
