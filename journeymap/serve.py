"""`journeymap serve`: the editing loop. Build, serve on 127.0.0.1, rebuild on save, reload the open pages.

As `mkdocs serve` does it: the site is built into a temporary folder; a watcher
(watchfiles) rebuilds it in the same process when the map or the templates
change, and the pages a person has open reload themselves through server-sent
events. The reload script and the banner that shows a broken map exist only in
served pages; `build` output never has them. A map that breaks mid-edit keeps
the server up: the error is in the terminal and on the page until the next good
save.
"""

from __future__ import annotations

import html
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .findings import Finding, Severity
from .words import plural

PREFIX = "/__journeymap__/"
RELOAD_SCRIPT = """\
// journeymap serve: reload this page when the site is rebuilt (served pages only).
(function () {
  var script = document.currentScript, since = script ? script.getAttribute("data-generation") : "";
  var source = new EventSource("/__journeymap__/events?since=" + encodeURIComponent(since || ""));
  source.onmessage = function (event) { if (event.data === "reload") { location.reload(); } };
})();
"""
#: what stops the server besides Ctrl-C: kill and docker stop (SIGTERM), a closed terminal (SIGHUP; not on Windows)
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))

# The banner sticks to the top of the viewport, so it is in view wherever the page was scrolled to; it takes its
# own room in the flow, so at the top of the page it pushes the header down rather than covering it. Without
# overflow-anchor Chromium would bring the reloaded page back to the element that was at the top (the header),
# scrolled past the banner and under it; with it, the old pixel offset comes back, and what was on screen moves
# down by the banner's height instead of being hidden behind it.
BANNER_STYLE = """<style>
html { overflow-anchor: none; }
#journeymap-serve-banner { position: sticky; top: 0; z-index: 1000; max-height: 50vh; overflow-y: auto;
  background: #f8d7da; color: #58151c; padding: .75rem 1rem; border-bottom: 2px solid #b02a37; }
</style>"""


class ServeProblem(Exception):
    """The server cannot start: the port is taken, the host cannot be bound."""


class Site:
    """The current build: its folder, a generation that rises with each rebuild, and what broke, if anything."""

    def __init__(self, source: Path, templates: Path | None, log: Callable[[str], None]) -> None:
        self.source, self.templates, self.log = source, templates, log
        self.scratch = Path(tempfile.mkdtemp(prefix="journeymap-serve-"))
        self.folder = self.scratch / "site"
        self.generation = 0
        self.problems: list[str] = []
        self.changed = threading.Condition()

    def rebuild(self) -> None:
        """Check, then build. While the map has errors the last good site stays up, under a banner naming them
        (the first build goes ahead anyway, gaps and all, so there is something to show)."""
        from .check import check_map
        from .load import MapNotFound
        from .site import TemplateProblem, build_site

        started = time.perf_counter()
        try:
            checked = check_map(self.source, parallel=False)  # this process has threads: it must not fork
            self.problems = [_describe(f) for f in checked.findings if f.severity is Severity.ERROR]
            if self.problems and self.folder.is_dir():
                self.log(f"the map has {plural(len(self.problems), 'error')}: still serving the last good build")
            else:
                build_site(checked, self.folder, self.templates, parallel=False)
                errors = f"; {plural(len(self.problems), 'error')}" if self.problems else ""
                self.log(f"rebuilt in {time.perf_counter() - started:.2f} s{errors}")
        except (MapNotFound, TemplateProblem, OSError) as error:
            self.problems = [f"the site could not be built: {error}"]
            self.log(f"build failed: {error}")
        for problem in self.problems[:5]:
            self.log(f"  {problem}")
        with self.changed:
            self.generation += 1
            self.changed.notify_all()

    def close(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)


def _describe(finding: Finding) -> str:
    return f"{finding.location}: [{finding.rule}] {finding.message}"


class Handler(SimpleHTTPRequestHandler):
    """Files of the current build; HTML gets the reload script and, while the map is broken, a banner."""

    site: Site

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass  # the terminal shows rebuilds, not every request

    def handle(self) -> None:
        """A browser dropping the connection (a reload mid-load, a closed tab) is ordinary: no traceback for it."""
        try:
            super().handle()
        except ConnectionError:  # a broken pipe, a reset, an abort
            return

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = self.path.split("?", 1)[0]
        if path == PREFIX + "livereload.js":
            return self._send(RELOAD_SCRIPT.encode(), "text/javascript")
        if path == PREFIX + "events":
            return self._events()
        target = Path(self.translate_path(path))
        if target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            generation = self.site.generation  # before reading: a rebuild in between only costs a spare reload
            return self._send(self._served_page(target.read_text(encoding="utf-8"), generation),
                              "text/html; charset=utf-8")
        return super().do_GET()

    def _served_page(self, page: str, generation: int) -> bytes:
        """The page as built, plus what only serving adds: the reload script, and the banner while the map is broken.

        The script names the build the page came from, so a rebuild that lands before its
        reload channel opens still reloads it.
        """
        page = page.replace("</body>", f'<script src="{PREFIX}livereload.js" data-generation="{generation}">'
                                       "</script></body>", 1)
        if not self.site.problems:
            return page.encode("utf-8")
        items = "".join(f"<li>{html.escape(p)}</li>" for p in self.site.problems[:10])
        more = f"<p>and {len(self.site.problems) - 10} more</p>" if len(self.site.problems) > 10 else ""
        banner = (f'<div id="journeymap-serve-banner" role="alert"><strong>The map has errors; this is the last '
                  f'good build until they are fixed.</strong><ul>{items}</ul>{more}</div>')
        return _after_body(page.replace("</head>", BANNER_STYLE + "</head>", 1), banner).encode("utf-8")

    def _events(self) -> None:
        """The reload channel: "reload" after each rebuild, and a comment every 15 s that keeps it open."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        since = parse_qs(urlsplit(self.path).query).get("since", [""])[0]
        seen = int(since) if since.isdecimal() else self.site.generation
        while True:  # until the page goes away and a write fails (see handle)
            with self.site.changed:
                self.site.changed.wait_for(partial(self._moved_on, seen), timeout=15)
            if self.site.generation != seen:
                seen = self.site.generation
                self.wfile.write(b"data: reload\n\n")
            else:
                self.wfile.write(b": still here\n\n")  # a comment keeps the connection open
            self.wfile.flush()

    def _moved_on(self, generation: int) -> bool:
        return self.site.generation != generation

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def _after_body(page: str, banner: str) -> str:
    """The page with the banner first in its body, so it is the first thing read and seen."""
    start = page.find("<body")
    if start < 0:
        return page
    end = page.index(">", start) + 1
    return page[:end] + banner + page[end:]


def serve(source: Path, templates: Path | None, host: str, port: int, log: Callable[[str], None],
          ready: Callable[[str], None]) -> None:
    """Build, serve and rebuild until stopped (Ctrl-C, SIGTERM, SIGHUP); the temporary folder goes however it ends."""
    with _stopped_by_signals():
        site = Site(source, templates, log)
        try:
            log(f"building into {site.scratch} (removed when the server stops)")
            site.rebuild()
            server = _bind(site, host, port)
            try:
                with _watching(site):
                    ready(f"http://{host}:{server.server_address[1]}/")
                    server.serve_forever()
            finally:
                server.server_close()
        finally:
            site.close()


def _bind(site: Site, host: str, port: int) -> ThreadingHTTPServer:
    """The server of the site's folder; a port in use is a clear message, not a traceback."""
    handler = partial(type("BoundHandler", (Handler,), {"site": site}), directory=str(site.folder))
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        raise ServeProblem(f"cannot serve on {host}:{port} ({error.strerror}): is another server using "
                           f"it? Stop it, or pass --port {port + 1}") from error
    server.daemon_threads = True  # an open reload channel must not hold up the stop
    return server


@contextmanager
def _watching(site: Site) -> Iterator[None]:
    """Rebuild on every save while serving; on the way out wait for a rebuild under way, lest it write after removal."""
    import watchfiles

    from .site import template_folders

    stop = threading.Event()
    paths = [str(site.source), *(str(f) for f in template_folders(site.source, site.templates))]
    watcher = threading.Thread(target=_watch, args=(watchfiles, paths, site, stop), daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join(timeout=1)
        if watcher.is_alive():
            site.log("stopping: waiting for the rebuild under way to finish")
            watcher.join(timeout=30)


def _watch(watchfiles: object, paths: list[str], site: Site, stop: threading.Event) -> None:
    """The watcher thread's loop: a save anywhere in the map or the templates is a rebuild."""
    for changes in watchfiles.watch(*paths, stop_event=stop, debounce=100, step=20):  # type: ignore[attr-defined]
        site.log(f"changed: {', '.join(sorted({Path(p).name for _, p in changes}))}")
        site.rebuild()


@contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """kill, docker stop (SIGTERM) and a closed terminal (SIGHUP) stop the server as Ctrl-C does, folder removed."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread can catch signals
        yield
        return
    stops = [signal.SIGINT, *STOP_SIGNALS]
    before = {each: signal.getsignal(each) for each in stops}
    caught = [each for each in stops if before[each] in (signal.SIG_DFL, signal.default_int_handler)]  # nohup's stay
    for each in caught:
        signal.signal(each, partial(_interrupt, caught))
    try:
        yield
    finally:
        for each in caught:
            if signal.getsignal(each) is not _ignore:  # not stopping: as they were
                signal.signal(each, before[each])


def _interrupt(caught: list[int], signum: int, frame: object) -> None:
    """The way out for every stop signal, Ctrl-C's included. A second one, pressed while the folder is removed or
    the process ends, must not cut the stop short, so from the first on they are ignored until the process exits."""
    for each in caught:
        signal.signal(each, _ignore)  # not SIG_IGN: one already on its way would be an error ("race condition")
    raise KeyboardInterrupt


def _ignore(signum: int, frame: object) -> None:
    """A stop signal while stopping."""
