"""Render a checked journey as a static site: pages, diagrams, search index, map.json."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markdown as markdown_lib
import nh3
from markupsafe import Markup, escape

from ..check import Checked
from ..model import Journey
from ..resources import templates_dir
from ..urls import SAFE_SCHEMES, link_target
from . import links
from .diagrams import Diagram
from .export import export
from .pages import Page, Site, pages
from .search import search_index
from .writer import check_output, staged, write_text

#: every page's Content-Security-Policy: only the site's own scripts run, nothing inline, no plug-ins,
#: no <base> or form hijacking. Inline style attributes stay allowed (owner colours, the grid's width).
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' https: http:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                           "form-action 'none'; frame-src 'none'")


#: small icons drawn as inline SVG: an emoji (⚠ ⏱ ✓) shows as a box where no emoji font is installed
_ICONS = {
    "warn": '<path d="M8 1.5 15 14.5H1Z" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"/>'
            '<path d="M8 6v4M8 11.6v1.2" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>',
    "clock": '<circle cx="8" cy="8.5" r="6" fill="none" stroke="currentColor" stroke-width="1.6"/>'
             '<path d="M8 5v3.7l2.4 1.6M6.5 1h3" fill="none" stroke="currentColor" stroke-width="1.6" '
             'stroke-linecap="round"/>',
    "cross": '<path d="M4 4l8 8M12 4l-8 8" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>',
    "check": '<path d="M2.5 8.5 6.5 12.5 13.5 4" fill="none" stroke="currentColor" stroke-width="2" '
             'stroke-linecap="round" stroke-linejoin="round"/>',
}


def icon(name: str) -> Markup:
    """An icon in the text's colour and size, hidden from screen readers (the words beside it say it)."""
    return Markup(f'<svg class="icon icon-{name}" viewBox="0 0 16 16" width="1em" height="1em" aria-hidden="true" '
                  f'focusable="false">{_ICONS[name]}</svg> ')


class TemplateProblem(Exception):
    """A template could not be rendered: names the template and line."""


@dataclass(frozen=True)
class Built:
    output: Path
    pages: int


def template_folders(source: Path, override: Path | None = None) -> list[Path]:
    """The user's templates first (given, inside the map, or beside it), then the bundled ones."""
    bundled = templates_dir().resolve()
    candidates = [override] if override else [source / "templates", source.parent / "templates"]
    user = [c.resolve() for c in candidates if c is not None and c.is_dir() and c.resolve() != bundled]
    return [*user[:1], bundled]


def environment(folders: list[Path]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        autoescape=jinja2.select_autoescape(["html", "htm", "xml", "svg"], default_for_string=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["markdown"] = render_markdown
    env.filters["code_spans"] = code_spans
    env.filters["link_target"] = link_target
    env.globals["links"] = links
    env.globals["csp"] = CONTENT_SECURITY_POLICY
    env.globals["icon"] = icon
    return env


#: what Markdown in a brief or note may keep: ordinary Markdown and safe HTML, nothing that runs or redirects
_TAGS = nh3.ALLOWED_TAGS - {"area", "map"}
_ATTRIBUTES = {**nh3.ALLOWED_ATTRIBUTES, "img": {"alt", "src", "width", "height", "title"},
               "a": {"href", "hreflang", "title"}, "th": {"align", "colspan", "rowspan", "scope"},
               "td": {"align", "colspan", "rowspan"}, "details": {"open"}, "abbr": {"title"},
               "sup": {"id"}, "li": {"id"}}


def render_markdown(text: str) -> Markup:
    """Markdown from a pull request, sanitised: scripts, frames, forms and unsafe URLs never reach the page.

    nh3 (the Rust ammonia sanitiser) keeps tables, `<details>`, images over
    http(s) or relative paths, and links over http, https and mailto.
    """
    html = markdown_lib.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    return Markup(nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=set(SAFE_SCHEMES),
                            link_rel="noopener noreferrer"))


def code_spans(text: str) -> Markup:
    """Escape a finding's message, then show its `backticked` parts as code."""
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))


def build_site(checked: Checked, output: Path, templates: Path | None = None) -> Built:
    """Render every journey (a portfolio: each in its own folder, under an index of journeys)."""
    check_output(output, checked.root)
    folders = template_folders(checked.root, templates)
    env = environment(folders)
    pages_written = 0
    with staged(output) as folder:
        for journey in checked.journeys:
            pages_written += _write_journey(env, folders, journey, checked, folder / journey.prefix)
        if checked.is_portfolio:
            from .portfolio import write_portfolio_pages  # here, not on top: it imports this module

            _copy_assets(folders, folder / "assets")
            pages_written += write_portfolio_pages(env, checked, folder)
    return Built(output, pages_written)


def _write_journey(env: jinja2.Environment, folders: list[Path], journey: Journey, checked: Checked,
                   folder: Path) -> int:
    findings = checked.findings_of(journey)
    site = Site(journey, findings, checked.root)
    nav = _nav(checked.is_portfolio)
    all_pages = list(pages(journey, site))
    for page in all_pages:
        write_text(folder, page.path, _render(env, page, site, nav))
        for value in page.context.values():
            if isinstance(value, Diagram):
                write_text(folder, value.file, value.standalone())
    _copy_assets(folders, folder / "assets")
    write_text(folder, "assets/search-index.js", search_index(journey))
    write_text(folder, "map.json", json.dumps(export(journey, findings), indent=2, ensure_ascii=False) + "\n")
    return len(all_pages)


def _render(env: jinja2.Environment, page: Page, site: Site, nav: list[tuple[str, str]]) -> str:
    return _render_template(env, page.template, page.path, page=page, root=page.root, site=site,
                            journey=site.journey, findings=site.findings, nav=nav, **page.context)


def _render_template(env: jinja2.Environment, name: str, path: str, **context: object) -> str:
    """Render one template; a broken (user) template becomes a message naming template and line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateProblem(f"{error.filename or error.name}:{error.lineno}: {error.message}") from error
    except jinja2.TemplateError as error:
        raise TemplateProblem(f"{name}: {error} (while rendering {path})") from error


def _nav(in_portfolio: bool) -> list[tuple[str, str]]:
    journeys = [("All journeys", "../" + links.INDEX)] if in_portfolio else []
    return [*journeys, ("Map", links.INDEX), ("Stages", links.STAGES), ("Hand-offs", links.HANDOFFS),
            ("Teams", links.OWNERS), ("Briefs", links.BRIEFS), ("Experiments", links.EXPERIMENTS),
            ("Evidence", links.EVIDENCE), ("Gaps", links.GAPS)]


def _copy_assets(folders: list[Path], target: Path) -> None:
    """Bundled assets first, then the user's on top: an asset is overridden by name."""
    for folder in reversed(folders):
        assets = folder / "assets"
        if assets.is_dir():
            shutil.copytree(assets, target, dirs_exist_ok=True)
