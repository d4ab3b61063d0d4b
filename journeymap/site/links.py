"""The site's URL scheme, in one place: every path is relative to the site root.

Pages prefix these with their own `root` ("" or "../"), so every link is
relative and the site works from file://, a domain root or any subpath.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from urllib.parse import quote

from ..core.model import SLUG, Touchpoint

INDEX = "index.html"
GAPS = "gaps.html"
HANDOFFS = "handoffs.html"
OWNERS = "owners/index.html"
BRIEFS = "briefs/index.html"
EXPERIMENTS = "experiments/index.html"
EVIDENCE = "evidence/index.html"
STAGES = "stages/index.html"
#: a portfolio's folder of team pages (one per team of its shared owners.yaml), beside the journeys' folders
TEAMS = "teams"


def file_name(item_id: str) -> str:
    """An id as a file name: a valid slug as it is; anything else (an `invalid-id` finding, built anyway
    under --keep-going) as a name made from its hash, so `../../x` never becomes a path."""
    if SLUG.match(item_id):
        return item_id
    return "id-" + hashlib.sha256(item_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _page_in(folder: str) -> Callable[[str], str]:
    """One page per item of a kind: `<folder>/<id>.html`."""
    return lambda item_id: f"{folder}/{file_name(item_id)}.html"


stage = _page_in("stages")
owner = _page_in("owners")
brief = _page_in("briefs")
experiment = _page_in("experiments")
evidence = _page_in("evidence")


def touchpoint(item: Touchpoint) -> str:
    return f"{stage(item.stage)}#tp-{file_name(item.id)}"


def folder(prefix: str) -> str:
    """A portfolio journey's folder (`prefix`, "new-logo/") as it goes into a link: percent-encoded, so a
    folder a pull request named `javascript:alert(1)` is a relative path, never a scheme, a query or an anchor."""
    return quote(prefix, safe="/")


def root_of(path: str) -> str:
    """The prefix that leads from the page at `path` back to the site root."""
    return "../" * path.count("/")


#: a page of the site as the build links to it: `../` steps, folder and file names of slugs (or
#: `id-<hash>`, see file_name), `.html`, perhaps an anchor. No scheme, no `//`, no `?`, nothing else.
_OWN_PAGE = re.compile(r"(?:\.\./)*(?:[a-z0-9][a-z0-9-]*/)*[a-z0-9][a-z0-9-]*\.html(?:#[a-z0-9][a-z0-9-]*)?")


def is_own_page(url: str) -> bool:
    """Whether `url` is a relative link to one of the site's own pages, the only links a diagram may carry:
    a diagram's SVG is also a file of its own, opened with no Content-Security-Policy around it."""
    return bool(_OWN_PAGE.fullmatch(url))
