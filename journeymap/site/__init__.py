"""Render a checked journey as a static site: pages, diagrams, search index, map.json."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import jinja2.sandbox
import nh3
from markupsafe import Markup, escape

from ..core.cache import cache_dir
from ..core.check import Checked
from ..core.model import Journey
from ..core.workers import can_fork, forked_map, usable_cores
from ..data.map_json import export_json
from ..util.resources import templates_dir
from ..util.urls import SAFE_SCHEMES, link_target, markdown_html
from ..util.words import plural
from . import incremental, links
from .diagrams import Diagram
from .drawing import draw_all
from .pages import Page, Site, pages
from .search import search_index
from .templates import Sandbox, TemplateProblem, choose, unused_note
from .writer import MARKER, check_output, staged, write_text

if TYPE_CHECKING:
    from .portfolio import PortfolioPages

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


@dataclass(frozen=True)
class Built:
    output: Path
    pages: int
    reused: int = 0  # of those, pages linked unchanged from the previous build
    notes: tuple[str, ...] = ()  # for the person building: a map's templates/ left unused


def template_folders(source: Path, override: Path | None = None) -> list[Path]:
    """The folders `serve` watches for templates: the given ones, then the bundled ones (a map's own
    templates/ is used only when asked for; templates.choose says which a build renders from)."""
    bundled = templates_dir().resolve()
    user = override.resolve() if override is not None else None
    return [*([user] if user and user != bundled else []), bundled]


def environment(folders: list[Path], use_cache: bool = False, sandboxed: bool = False) -> jinja2.Environment:
    """Jinja over the folders; in its sandbox whenever a folder is the user's (their templates are code)."""
    kind = Sandbox if sandboxed else jinja2.Environment
    env = kind(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        autoescape=jinja2.select_autoescape(["html", "htm", "xml", "svg"], default_for_string=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        bytecode_cache=_compiled_templates(sandboxed) if use_cache else None)
    env.filters["markdown"] = render_markdown
    env.filters["counted"] = plural
    env.filters["code_spans"] = code_spans
    env.filters["link_target"] = link_target
    env.globals["links"] = links
    env.globals["csp"] = CONTENT_SECURITY_POLICY
    env.globals["icon"] = icon
    return env


def _compiled_templates(sandboxed: bool) -> jinja2.BytecodeCache | None:
    """Jinja's own cache of compiled templates (keyed by each template's source), beside our other caches.

    Sandboxed code is compiled differently (every call goes through the sandbox's checks) and is kept
    apart: code compiled outside the sandbox, loaded into it, would call without those checks.
    """
    folder = cache_dir() / ("templates-sandboxed" if sandboxed else "templates")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


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
    html = markdown_html(text or "")
    return Markup(nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=set(SAFE_SCHEMES),
                            link_rel="noopener noreferrer"))


def code_spans(text: str) -> Markup:
    """Escape a finding's message, then show its `backticked` parts as code."""
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))


def build_site(checked: Checked, output: Path, templates: Path | None = None, use_cache: bool = True,
               progress: Progress | None = None, parallel: bool = True) -> Built:
    """Render every journey (a portfolio: each in its own folder, under an index of journeys).

    Journeys whose inputs are unchanged since the last build are linked from the previous site
    (incremental.py); the others render on every core (unless `parallel` is False: a process with
    threads must not fork), their diagrams drawn a batch at a time.
    """
    check_output(output, checked.root)
    chosen = choose(checked, templates)
    folders = chosen.folders
    env = environment(folders, use_cache, chosen.sandboxed)
    keys = incremental.keys(checked, incremental.templates_digest(folders))
    with staged(output) as folder:
        previous = incremental.previous_build(output) if use_cache else {}  # under the lock: no build swaps it
        built: dict[str, tuple[str, list[str]]] = {}
        for prefix, key in keys.items():
            before, files = previous.get(prefix, ("", []))
            if before == key and incremental.reuse(output, folder, prefix, files):
                built[prefix] = (key, files)
        reused = _pages(built)
        stale = [prefix for prefix in checked.prefixes if prefix not in built]
        todo: list[Journey | int] = [journey for journey in checked.journeys if journey.prefix in stale] \
            if stale else []
        job = _Job(env, folders, checked, todo, folder, use_cache, parallel)
        if checked.is_portfolio and "" not in built:
            from .portfolio import PortfolioPages  # here, not on top: it imports this module

            job.portfolio = PortfolioPages(checked, shares=usable_cores() if parallel and can_fork() else 1)
            job.portfolio.teams  # noqa: B018 - worked out here, once, not again in every process that writes a share
            todo[:0] = range(job.portfolio.shares)  # the longest parts, so they start first
            stale.append("")
        _render_parts(job, progress)
        for prefix in stale:
            built[prefix] = (keys[prefix], incremental.written(folder, prefix, checked.prefixes))
        write_text(folder, MARKER, incremental.marker(built))
    note = unused_note(chosen, checked.root, checked.is_portfolio)
    return Built(output, _pages(built), reused, (note,) if note else ())


def _pages(built: dict[str, tuple[str, list[str]]]) -> int:
    return sum(1 for _, files in built.values() for file in files if file.endswith(".html"))


#: called after each journey is rendered: (journeys done, journeys to render, pages so far)
Progress = Callable[[int, int, int], None]


@dataclass
class _Job:
    env: jinja2.Environment
    folders: list[Path]
    checked: Checked
    parts: list[Journey | int]  # a number: that share of the portfolio's own pages
    folder: Path
    use_cache: bool
    parallel: bool = True
    portfolio: PortfolioPages | None = None


def _render_parts(job: _Job, progress: Progress | None) -> None:
    """Render each part; several at once in forked processes when there are several and cores to spare."""
    if not job.parts:
        return
    _compile_templates(job.env)  # once, before any fork, rather than in every worker

    def render(index: int) -> tuple[bool, int]:
        return _render_part(job, job.parts[index])

    indexes = range(len(job.parts))
    forked = job.parallel and len(job.parts) > 1 and can_fork()
    results = forked_map(render, len(job.parts), ordered=False) if forked else map(render, indexes)
    journeys = sum(1 for part in job.parts if isinstance(part, Journey))
    pages_written, done = 0, 0
    for is_journey, count in results:
        pages_written, done = pages_written + count, done + is_journey
        if progress and is_journey:
            progress(done, journeys, pages_written)


def _compile_templates(env: jinja2.Environment) -> None:
    for name in env.list_templates(extensions=["html"]):
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            pass  # said with its template and line when a page uses it


def _render_part(job: _Job, part: Journey | int) -> tuple[bool, int]:
    """One part of the site (a journey, or a share of the portfolio's own pages): (was it a journey, pages)."""
    if isinstance(part, Journey):
        return True, _write_journey(job.env, job.folders, part, job.checked, job.folder / part.prefix,
                                    job.use_cache)
    assert job.portfolio is not None
    if part == 0:
        _copy_assets(job.folders, job.folder / "assets")
    return False, job.portfolio.write(job.env, job.folder, part)


def _write_journey(env: jinja2.Environment, folders: list[Path], journey: Journey, checked: Checked,
                   folder: Path, use_cache: bool = True) -> int:
    findings = checked.findings_of(journey)
    site = Site(journey, findings, checked.root)
    nav = _nav(checked.is_portfolio)
    all_pages = list(pages(journey, site))
    diagrams = [value for page in all_pages for value in page.context.values() if isinstance(value, Diagram)]
    draw_all([d.dot for d in diagrams], use_cache)  # one `dot` for the journey's diagrams, not one each
    for page in all_pages:
        write_text(folder, page.path, _render(env, page, site, nav))
    for diagram in diagrams:
        write_text(folder, diagram.file, diagram.standalone())
    _copy_assets(folders, folder / "assets")
    write_text(folder, "assets/search-index.js", search_index(journey))
    write_text(folder, "map.json", export_json(journey, findings))
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
    except jinja2.sandbox.SecurityError as error:
        said = str(error).rstrip(".")
        raise TemplateProblem(f"{_template_line(error, name)}: templates run in a sandbox: {said}; use only "
                              f"the context docs/templates.md lists (while rendering {path})") from error
    except jinja2.TemplateError as error:
        raise TemplateProblem(f"{name}: {error} (while rendering {path})") from error


def _template_line(error: Exception, name: str) -> str:
    """The template file and line a runtime error was raised at (Jinja's frames name them), or the page's name."""
    place, trace = name, error.__traceback__
    while trace is not None:
        file = trace.tb_frame.f_code.co_filename
        if file.endswith((".html", ".htm", ".xml", ".svg")):
            place = f"{file}:{trace.tb_lineno}"
        trace = trace.tb_next
    return place


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
