"""The site's URL scheme, in one place: every path is relative to the site root.

Pages prefix these with their own `root` ("" or "../"), so every link is
relative and the site works from file://, a domain root or any subpath.
"""

from __future__ import annotations

from ..model import Touchpoint

INDEX = "index.html"
GAPS = "gaps.html"
HANDOFFS = "handoffs.html"
OWNERS = "owners/index.html"
BRIEFS = "briefs/index.html"
EXPERIMENTS = "experiments/index.html"
EVIDENCE = "evidence/index.html"
STAGES = "stages/index.html"


def stage(stage_id: str) -> str:
    return f"stages/{stage_id}.html"


def owner(owner_id: str) -> str:
    return f"owners/{owner_id}.html"


def brief(brief_id: str) -> str:
    return f"briefs/{brief_id}.html"


def experiment(experiment_id: str) -> str:
    return f"experiments/{experiment_id}.html"


def evidence(evidence_id: str) -> str:
    return f"evidence/{evidence_id}.html"


def touchpoint(item: Touchpoint) -> str:
    return f"{stage(item.stage)}#tp-{item.id}"


def root_of(path: str) -> str:
    """The prefix that leads from the page at `path` back to the site root."""
    return "../" * path.count("/")
