"""A link checker for the built site: every internal href and #fragment resolves, nothing escapes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass
class Parsed:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, attribute, value)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parsed = Parsed()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.parsed.ids.add(value)
            if name in ("href", "src", "xlink:href", "action", "data"):
                self.parsed.links.append((tag, name, value))


def parse(path: Path) -> Parsed:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector.parsed


def problems(site: Path) -> list[str]:
    """Every broken, root-absolute or off-site reference in the site's HTML and SVG files."""
    pages = {p: parse(p) for pattern in ("*.html", "*.svg") for p in site.rglob(pattern)}
    found = []
    for page, parsed in pages.items():
        where = page.relative_to(site).as_posix()
        for tag, attribute, value in parsed.links:
            url = urlsplit(value)
            if url.scheme in ("http", "https") or value.startswith("//"):
                if tag != "a":  # an asset, font or script from the network
                    found.append(f"{where}: <{tag} {attribute}> loads {value} from the network")
                continue
            if url.scheme:
                found.append(f"{where}: {value}: unexpected scheme")
                continue
            if value.startswith("/"):
                found.append(f"{where}: {value} is root-absolute")
                continue
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
            if not target.is_file():
                found.append(f"{where}: {value} points at a missing file")
                continue
            if url.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if url.fragment not in ids:
                    found.append(f"{where}: {value}: no id '{url.fragment}' in {target.name}")
    return found


def hrefs(page: Path) -> set[str]:
    return {value for _, _, value in parse(page).links}


#: a count of one with a plural noun, such as "1 touchpoints", in the text of any page or diagram
_ONE_WITH_PLURAL = re.compile(r"(?<![\d.,])1 (?:[a-z-]+ )?(touchpoints|stages|errors|warnings|notes|findings|gaps|"
                              r"journeys|teams|files|briefs|hand-off gaps|days)\b")


def miscounted(site: Path) -> list[str]:
    """Every "1 ...s" in the site's pages and diagrams, with the file it is in."""
    found = []
    for path in sorted([*site.rglob("*.html"), *site.rglob("*.svg")]):
        text = re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(site)}: {m.group(0)}" for m in _ONE_WITH_PLURAL.finditer(text)]
    return found
