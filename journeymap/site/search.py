"""The search index, embedded as a script so search works from file:// without fetching."""

from __future__ import annotations

import json

from ..model import Journey
from . import links


def entries(journey: Journey) -> list[dict[str, str]]:
    def entry(kind: str, title: str, url: str, *text: str) -> dict[str, str]:
        return {"kind": kind, "title": title, "url": url, "text": " ".join(t for t in text if t)}

    result = [entry("stage", s.name, links.stage(s.id), s.job, s.description, s.milestone)
              for s in journey.stages]
    result += [entry("touchpoint", t.name, links.touchpoint(t), journey.owner_name(t.owner), t.channel,
                     t.initiator, t.intent, t.description) for s in journey.stages for t in s.touchpoints]
    result += [entry("team", o.name, links.owner(o.id), o.department, o.lead) for o in journey.owners]
    result += [entry("brief", b.title, links.brief(b.id), b.stage, b.body[:300]) for b in journey.briefs]
    result += [entry("experiment", e.name, links.experiment(e.id), e.hypothesis, e.status)
               for e in journey.experiments]
    result += [entry("evidence", n.title, links.evidence(n.id), n.kind) for n in journey.evidence]
    return result


def search_index(journey: Journey) -> str:
    data = json.dumps(entries(journey), ensure_ascii=True).replace("</", "<\\/")
    return f"window.JOURNEYMAP_SEARCH = {data};\n"
