"""Links: every URL the map puts on the published site is one a browser can follow safely."""

from __future__ import annotations

from collections.abc import Iterator

from ...util.urls import is_safe, looks_like_url, markdown_html, scheme_of, urls_in_html
from ..findings import Gap, Location, Severity
from ..model import Journey
from .registry import rule

_FIX = "write an https:// (or http://, mailto:) address, or a relative link; it is shown as text, not as a link"


@rule("unsafe-url", Severity.ERROR)
def unsafe_url(journey: Journey) -> Iterator[Gap]:
    """A URL in the map uses a scheme other than http, https or mailto.

    Why: the site is published on the company's domain. A `javascript:` or
    `data:` link in a brief, a contact or `repo_url` would run whatever a pull
    request put there for everyone who clicks it. Such URLs are shown as text.

    Fails:
        contact: "javascript:alert(document.cookie)"
        [pricing](javascript:fetch('//evil.example'))

    Passes:
        contact: "mailto:growth@example.com"
        [pricing](https://example.com/pricing)
    """
    if journey.repo_url and scheme_of(journey.repo_url) not in ("http", "https"):
        yield Gap(journey.origin.at("repo_url"), f"`repo_url` is `{journey.repo_url}`, not a web address: "
                                                 "write the repository's https:// address")
    fields = [(o.contact, o.origin.at("contact"), "contact") for o in journey.owners]
    fields += [(e.source, e.origin.at("source"), "source") for e in journey.evidence]
    for value, location, name in fields:
        if looks_like_url(value) and not is_safe(value):
            yield Gap(location, f"`{name}` is `{value}`: {_FIX}")
    bodies = [(b.body, b.origin) for b in journey.briefs] + [(e.body, e.origin) for e in journey.evidence]
    for body, origin in bodies:
        yield from _unsafe_in_markdown(body, origin.document.body_line, origin.file)
    for experiment in journey.experiments:
        yield from _unsafe_in_markdown(experiment.result,
                                       experiment.origin.document.text_line((*experiment.origin.path, "result")),
                                       experiment.origin.file)


def _unsafe_in_markdown(body: str, first_line: int, file: str) -> Iterator[Gap]:
    if ":" not in body:
        return
    html = markdown_html(body)
    found: dict[str, int] = {}  # each unsafe URL by the line it was last found on: a repeat is looked for below it
    for url in urls_in_html(html):
        if not is_safe(url):  # twice on one line gives one finding twice, and findings are unique
            found[url] = _line_of(body, url, after=found.get(url, -1))
            yield Gap(Location(file, first_line + found[url], 1), f"a link to `{url[:80]}` in the Markdown: {_FIX}")


def _line_of(body: str, url: str, after: int = -1) -> int:
    """Lines into the body where the URL is written (0 when it cannot be found, say behind an entity).

    A URL seen before on line `after` is looked for below it, else it was a second time on that line.
    """
    wanted = _squeezed(url)
    scheme = _squeezed(url.split(":", 1)[0]) + ":"
    lines = [_squeezed(line) for line in body.splitlines()]
    if after >= 0:
        return next((index for index, line in enumerate(lines[after + 1:], after + 1) if wanted in line), after)
    for candidate in (wanted, scheme):
        for index, line in enumerate(lines):
            if candidate in line:
                return index
    return 0


def _squeezed(text: str) -> str:
    return "".join(text.split()).lower()
