"""What each page is, in a sentence: its meta description, which Slack and LinkedIn show under a shared link.

Said from the map's own words where it has them (the journey's description, a stage's job, a
brief's body), else from its figures, in the words a reader of the site uses.
"""

from __future__ import annotations

from ..core.model import Journey, Owner, Stage
from ..util.words import plural
from .wording import shorten


def _of(journey: Journey) -> str:
    return f" of {journey.title}" if journey.title else ""


def _in(journey: Journey) -> str:
    return f" in {journey.title}" if journey.title else ""


def map_page(journey: Journey) -> str:
    if journey.description:
        return shorten(journey.description)
    return shorten(f"Customer journey map{_of(journey)}: {plural(len(journey.stages), 'stage')}, "
                   f"{plural(len(journey.touchpoints), 'touchpoint')}, who owns each and where it leaks.")


def stage_page(stage: Stage, journey: Journey) -> str:
    job = f": the customer's job is to {stage.job[:1].lower()}{stage.job[1:]}" if stage.job else ""
    return shorten(f"{stage.name or stage.id}, a stage{_of(journey)}{job}. "
                   f"{plural(len(stage.touchpoints), 'touchpoint')}, their owners, metrics and research.")


def owner_page(owner: Owner, touchpoints: int, journey: Journey) -> str:
    name = owner.name or owner.id
    return shorten(f"What {name} owns{_in(journey)}: {plural(touchpoints, 'touchpoint')}, their response times, "
                   f"hand-offs and open gaps.")


#: the list pages, by their template: what each is ({of}: " of <the journey's title>", {in_}: " in ...")
LIST_PAGES = {
    "handoffs.html": "Every hand-off between teams{in_}, and where none is written.",
    "gaps.html": "What to fix{in_}, stage by stage and team by team: each gap in plain words, with where to edit it.",
    "stages.html": "The stages{of} in order, with each stage's conversion and customer job.",
    "owners.html": "The teams{of}: what each owns, who leads it and its open gaps.",
    "briefs.html": "The campaign briefs{of}, stage by stage.",
    "experiments.html": "The experiments{in_}: proposed, running and decided.",
    "evidence-list.html": "The research behind the map{of}: interviews, CRM and support data, and the stages "
                          "they back.",
}


def list_page(template: str, journey: Journey) -> str:
    return shorten(LIST_PAGES[template].format(of=_of(journey), in_=_in(journey)))


def brief_page(title: str, stage: Stage | None, journey: Journey) -> str:
    serves = f" for the {stage.name or stage.id} stage" if stage else ""
    return shorten(f"{title}: a campaign brief{serves}{_of(journey)}.")


def experiment_page(name: str, hypothesis: str, journey: Journey) -> str:
    return shorten(f"{name}: an experiment{_in(journey)}. {hypothesis}".strip())


def evidence_page(title: str, kind: str, stages: list[Stage], journey: Journey) -> str:
    what = f" ({kind})" if kind else ""
    backs = f" behind the {', '.join(s.name or s.id for s in stages)} {'stage' if len(stages) == 1 else 'stages'}" \
        if stages else ""
    return shorten(f"{title}{what}: research{backs}{_of(journey)}.")
