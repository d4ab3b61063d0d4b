"""Rendering a page: the Jinja environment (sandboxed for a map's own templates), its filters, and the
messages a broken template becomes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import jinja2.sandbox
import nh3
from markupsafe import Markup, escape

from ..core.cache import cache_dir
from ..util.resources import templates_dir
from ..util.urls import SAFE_SCHEMES, link_target, markdown_html
from ..util.words import plural
from . import links
from .templates import Sandbox, TemplateProblem

if TYPE_CHECKING:
    from .pages import Page, Site

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


def render_page(env: jinja2.Environment, page: Page, site: Site, nav: list[tuple[str, str]]) -> str:
    return render_template(env, page.template, page.path, page=page, root=page.root, site=site,
                            journey=site.journey, findings=site.findings, nav=nav, **page.context)


def render_template(env: jinja2.Environment, name: str, path: str, **context: object) -> str:
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
