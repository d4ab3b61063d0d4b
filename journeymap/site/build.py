"""Build a checked map's site: which parts to render, which to reuse from the last build, and writing them.

Journeys whose inputs are unchanged since the last build are linked from the previous site
(incremental.py); the others render on every core, their diagrams drawn a batch at a time.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..core.check import Checked
from ..core.model import Journey
from ..core.workers import can_fork, forked_map, usable_cores
from ..data.map_json import export_json
from . import incremental, links
from .diagrams import Diagram
from .drawing import draw_all
from .logo import read_logo
from .pages import Site, pages
from .palette import teams_css
from .portfolio import PortfolioPages
from .render import environment, render_page
from .search import search_index
from .templates import choose, unused_note
from .writer import MARKER, check_output, staged, write_text


@dataclass(frozen=True)
class Built:
    output: Path
    pages: int
    reused: int = 0  # of those, pages linked unchanged from the previous build
    notes: tuple[str, ...] = ()  # for the person building: a map's templates/ left unused


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
        for journey in todo:  # a logo that cannot be shown stops the build before any page is written
            if isinstance(journey, Journey):
                read_logo(journey, checked.root / journey.prefix)
        job = _Job(env, folders, checked, todo, folder, use_cache, parallel)
        if checked.is_portfolio and "" not in built:
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
    logo = read_logo(journey, checked.root / journey.prefix)  # before any page: a bad logo writes nothing
    site.logo = logo[0] if logo else ""
    nav = _nav(checked.is_portfolio)
    all_pages = list(pages(journey, site))
    diagrams = [value for page in all_pages for value in page.context.values() if isinstance(value, Diagram)]
    draw_all([d.dot for d in diagrams], use_cache)  # one `dot` for the journey's diagrams, not one each
    for page in all_pages:
        write_text(folder, page.path, render_page(env, page, site, nav))
    for diagram in diagrams:
        write_text(folder, diagram.file, diagram.standalone())
    _copy_assets(folders, folder / "assets")
    write_text(folder, "assets/search-index.js", search_index(journey))
    if logo:
        (folder / logo[0]).write_bytes(logo[1])
    write_text(folder, "map.json", export_json(journey, findings))
    return len(all_pages)


def _nav(in_portfolio: bool) -> list[tuple[str, str]]:
    journeys = [("All journeys", "../" + links.INDEX)] if in_portfolio else []
    return [*journeys, ("Map", links.INDEX), ("Stages", links.STAGES), ("Hand-offs", links.HANDOFFS),
            ("Teams", links.OWNERS), ("Briefs", links.BRIEFS), ("Experiments", links.EXPERIMENTS),
            ("Evidence", links.EVIDENCE), ("Gaps", links.GAPS)]


def _copy_assets(folders: list[Path], target: Path) -> None:
    """The team palette, then bundled assets, then the user's on top: an asset is overridden by name."""
    write_text(target.parent, "assets/teams.css", teams_css())
    for folder in reversed(folders):
        assets = folder / "assets"
        if assets.is_dir():
            shutil.copytree(assets, target, dirs_exist_ok=True)
