"""The site's URL scheme, in one place: every path is relative to the site root.

Pages prefix these with their own `root` ("" or "../"), so every link is
relative and the site works from file://, a domain root or any subpath.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Touchpoint

INDEX = "index.html"
GAPS = "gaps.html"
HANDOFFS = "handoffs.html"
OWNERS = "owners/index.html"
BRIEFS = "briefs/index.html"
EXPERIMENTS = "experiments/index.html"
EVIDENCE = "evidence/index.html"
STAGES = "stages/index.html"


def _page_in(folder: str) -> Callable[[str], str]:
    """One page per item of a kind: `<folder>/<id>.html`."""
    return lambda item_id: f"{folder}/{item_id}.html"


stage = _page_in("stages")
owner = _page_in("owners")
brief = _page_in("briefs")
experiment = _page_in("experiments")
evidence = _page_in("evidence")


def touchpoint(item: Touchpoint) -> str:
    return f"{stage(item.stage)}#tp-{item.id}"


def root_of(path: str) -> str:
    """The prefix that leads from the page at `path` back to the site root."""
    return "../" * path.count("/")
