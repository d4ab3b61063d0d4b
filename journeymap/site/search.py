"""The search index, embedded as a script so search works from file:// without fetching."""

from __future__ import annotations

import json

from ..core.model import Journey, Owner
from . import links


def _entry(kind: str, title: str, url: str, *text: str) -> dict[str, str]:
    return {"kind": kind, "title": title, "url": url, "text": " ".join(t for t in text if t)}


def entries(journey: Journey) -> list[dict[str, str]]:
    result = [_entry("stage", s.name, links.stage(s.id), s.job, s.description, s.milestone)
              for s in journey.stages]
    result += [_entry("touchpoint", t.name, links.touchpoint(t), journey.owner_name(t.owner), t.channel,
                      t.initiator, t.intent, t.description) for s in journey.stages for t in s.touchpoints]
    result += [_entry("team", o.name, links.owner(o.id), o.department, o.lead) for o in journey.owners]
    result += [_entry("brief", b.title, links.brief(b.id), b.stage, b.body[:300]) for b in journey.briefs]
    result += [_entry("experiment", e.name, links.experiment(e.id), e.hypothesis, e.status)
               for e in journey.experiments]
    result += [_entry("evidence", n.title, links.evidence(n.id), n.kind) for n in journey.evidence]
    return result


def portfolio_entries(journeys: list[Journey], teams: list[tuple[Owner, str]]) -> list[dict[str, str]]:
    """Every journey's entries, each under its journey's folder and naming the journey (two journeys
    often have a stage of the same name), plus each journey and each portfolio team page (its url)."""
    result = [_entry("team", f"{owner.name or owner.id} (all journeys)", page, owner.department, owner.lead)
              for owner, page in teams]
    for journey in journeys:
        name = journey.title or journey.slug
        result.append(_entry("journey", name, links.folder(journey.prefix) + links.INDEX, journey.description))
        result += [{**e, "title": f"{e['title']} ({name})", "url": links.folder(journey.prefix) + e["url"],
                    "text": f"{e['text']} {name}", "journey": name} for e in entries(journey)]
    return result


def search_index(journey: Journey) -> str:
    return _script(entries(journey))


def portfolio_search_index(journeys: list[Journey], teams: list[tuple[Owner, str]]) -> str:
    """The search index at a portfolio's root: `journeymap.js` finds it as it finds a journey's own."""
    return _script(portfolio_entries(journeys, teams))


def _script(data: list[dict[str, str]]) -> str:
    """The index as a script assigning it (file:// pages cannot fetch JSON); `</` never closes a tag."""
    text = json.dumps(data, ensure_ascii=True).replace("</", "<\\/")
    return f"window.JOURNEYMAP_SEARCH = {text};\n"
