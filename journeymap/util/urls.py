"""Which URLs from the map may become links on a published page: http, https, mailto, or relative.

The site runs on the company's own domain; a `javascript:` or `data:` link in a
brief, a contact or `repo_url` would run whatever a pull request put there.
Such a URL is reported (rule `unsafe-url`) and shown as text, never as a link.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
#: browsers ignore ASCII whitespace and control characters inside a scheme ("java\tscript:")
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
#: attributes whose value a browser follows or loads
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "formaction", "poster", "cite", "background",
                            "data", "xlink:href", "longdesc", "usemap", "ping"})


def markdown_html(text: str) -> str:
    """A Markdown body as the site renders it (before sanitising): the HTML whose links unsafe-url reads."""
    return _markdown().reset().convert(text)


@functools.cache
def _markdown() -> Any:
    """One converter, reset between texts: making one (its extensions) cost more than most conversions."""
    import markdown  # here: only maps with Markdown in them need it

    return markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


def scheme_of(url: str) -> str | None:
    """The scheme as a browser would read it (lower case), or None for a relative URL."""
    match = _SCHEME.match(_IGNORED.sub("", url))
    return match.group(1).lower() if match else None


def is_safe(url: str) -> bool:
    scheme = scheme_of(url)
    return scheme is None or scheme in SAFE_SCHEMES


def looks_like_url(text: str) -> bool:
    """A free-text field (a contact, a source) holds a URL when it is one word with a scheme."""
    stripped = text.strip()
    return bool(stripped) and not any(c.isspace() for c in stripped) and scheme_of(stripped) is not None


def link_target(text: str) -> str | None:
    """The URL to link a free-text field to, or None: show it as text."""
    return text.strip() if looks_like_url(text) and is_safe(text) else None


def urls_in_html(html: str) -> Iterator[str]:
    """Every URL an HTML fragment (rendered Markdown) would make a browser follow or load."""
    collector = _UrlCollector()
    collector.feed(html)
    collector.close()
    yield from collector.urls


class _UrlCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and (name in URL_ATTRIBUTES or (tag == "meta" and name == "content")):
                self.urls.extend(_candidates(name, tag, value))


def _candidates(name: str, tag: str, value: str) -> list[str]:
    if name == "srcset":
        return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
    if tag == "meta":  # <meta http-equiv="refresh" content="0; url=javascript:...">
        match = re.search(r"url\s*=\s*(\S+)", value, re.IGNORECASE)
        return [match.group(1).strip("'\"")] if match else []
    return [value]
