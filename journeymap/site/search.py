"""The search index, embedded as a script so search works from file:// without fetching.

Each entry has a `title`, a `url`, its `kind` and `text` (what it says), and `keywords`: what people
call it without saying it, its id and, for a team, the initials of its name ("sdr", "csm"), so a
search for a team's short name finds it. `journeymap.js` matches the words (see docs/templates.md).
"""

from __future__ import annotations

import json
import re

from ..core.model import Journey, Owner
from . import links

#: how much of a long Markdown body goes into the index (the index of a portfolio is already megabytes)
_BODY = 300


def _entry(kind: str, title: str, url: str, keywords: str, *text: str) -> dict[str, str]:
    return {"kind": kind, "title": title, "url": url, "text": " ".join(t for t in text if t),
            "keywords": keywords}


def initials(name: str) -> str:
    """The first letters of a name of two words or more ("Sales Development" → "sd"); "" for one word,
    whose initial would match every one-letter search."""
    words = re.findall(r"\w+", name)
    return "".join(word[0] for word in words).lower() if len(words) > 1 else ""


def team_keywords(owner: Owner) -> str:
    return " ".join(k for k in (owner.id, initials(owner.name)) if k)


def entries(journey: Journey) -> list[dict[str, str]]:
    result = [_entry("stage", s.name, links.stage(s.id), s.id, s.job, s.description, s.milestone)
              for s in journey.stages]
    result += [_entry("touchpoint", t.name, links.touchpoint(t), t.id, journey.owner_name(t.owner), t.channel,
                      t.initiator, t.intent, t.description) for s in journey.stages for t in s.touchpoints]
    result += [_entry("team", o.name, links.owner(o.id), team_keywords(o), o.department, o.lead)
               for o in journey.owners]
    result += [_entry("brief", b.title, links.brief(b.id), b.id, b.stage, b.body[:_BODY]) for b in journey.briefs]
    result += [_entry("experiment", e.name, links.experiment(e.id), e.id, e.hypothesis, e.status,
                      e.result[:_BODY]) for e in journey.experiments]
    result += [_entry("evidence", n.title, links.evidence(n.id), n.id, n.kind) for n in journey.evidence]
    return result


def portfolio_entries(journeys: list[Journey], teams: list[tuple[Owner, str]]) -> list[dict[str, str]]:
    """Every journey's entries, each under its journey's folder and naming the journey (two journeys
    often have a stage of the same name), plus each journey and each portfolio team page (its url)."""
    result = [_entry("team", f"{owner.name or owner.id} (all journeys)", page, team_keywords(owner),
                     owner.department, owner.lead) for owner, page in teams]
    for journey in journeys:
        name = journey.title or journey.slug
        result.append(_entry("journey", name, links.folder(journey.prefix) + links.INDEX, journey.slug,
                             journey.description))
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
