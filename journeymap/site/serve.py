"""`journeymap serve`: the editing loop. Build, serve on 127.0.0.1, rebuild on save, reload the open pages.

As `mkdocs serve` does it: the site is built into a temporary folder; a watcher
(watchfiles) rebuilds it in the same process when the map or the templates
change, and the pages a person has open reload themselves through server-sent
events. The reload script and the banner that shows a broken map exist only in
served pages; `build` output never has them. A map that breaks mid-edit keeps
the server up: the error is in the terminal and on the page until the next good
save.

The preview runs while its author browses other sites, so it answers only requests
for its own names: a page elsewhere that rebinds its domain to 127.0.0.1 (DNS
rebinding) gets 400, not the map. A connection that never finishes its request,
and reload channels past a bound, are let go so they cannot use up the server.
"""

from __future__ import annotations

import errno
import html
import io
import ipaddress
import select
import shutil
import signal
import socket
import socketserver
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qs, unquote, urlsplit

from ..core.findings import Finding, Severity
from ..util.errors import JourneymapError
from ..util.words import plural

PREFIX = "/__journeymap__/"
#: seconds a connection has to send its whole request line and headers (and a reader to take each write): one
#: that sends nothing, or a byte now and then, is dropped rather than holding a thread for ever
READ_TIMEOUT = 5.0
#: reload channels open at once (each holds a thread); past this many a new one is refused with 503
MAX_RELOAD_CHANNELS = 64
#: seconds between the comments that keep an idle reload channel open
KEEP_ALIVE = 15.0
#: seconds between looks at whether a reload channel's page has gone, so a closed tab frees its place soon
HANG_UP_CHECK = 1.0
#: what a browser on this machine puts in Host for a loopback server, whatever --host said
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
#: addresses that mean "every address of this machine": any address literal may name the server then
WILDCARD_HOSTS = ("0.0.0.0", "::")
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


class ServeProblem(JourneymapError):
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
        from ..core.check import check_map
        from ..core.load import MapNotFound
        from .build import build_site
        from .templates import TemplateProblem

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


class _HeadReader(io.RawIOBase):
    """The connection's reads, all within one deadline: a per-read timeout alone would keep a client that sends
    a byte every few seconds for ever. Each connection carries one request (HTTP/1.0), so one deadline is enough."""

    def __init__(self, connection: socket.socket, seconds: float) -> None:
        self.connection, self.seconds = connection, seconds
        self.deadline = time.monotonic() + seconds

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request did not arrive in time")
        self.connection.settimeout(left)
        try:
            return self.connection.recv_into(buffer)
        finally:
            self.connection.settimeout(self.seconds)  # what is written back gets the whole timeout


class Handler(SimpleHTTPRequestHandler):
    """Files of the current build; HTML gets the reload script and, while the map is broken, a banner."""

    site: Site
    hosts: frozenset[str]  # the names in Host that mean this server
    any_address: bool  # bound to every address: an address literal in Host is this server too
    channels: threading.BoundedSemaphore  # places for open reload channels

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass  # the terminal shows rebuilds, not every request

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(READ_TIMEOUT)
        self.rfile = io.BufferedReader(_HeadReader(self.connection, READ_TIMEOUT))

    def handle(self) -> None:
        """A browser dropping the connection (a reload mid-load, a closed tab) is ordinary: no traceback for it."""
        try:
            super().handle()
        except (ConnectionError, TimeoutError):  # a broken pipe, a reset, an abort; a reader that stopped reading
            return

    def parse_request(self) -> bool:
        """http.server's checks, then this server's own, before any path is looked at, on every method and path."""
        if not super().parse_request():
            return False
        refusal = self._refusal()
        if refusal:
            self._send(f"{refusal}\n".encode(), "text/plain; charset=utf-8", HTTPStatus.BAD_REQUEST)
            return False
        return True

    def _refusal(self) -> str | None:
        """Why this request is not for this server, if it is not: a Host header naming another site is what a
        page that rebound its own domain to this address sends (DNS rebinding)."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) > 1:
            return "Bad request: more than one Host header."
        if not hosts and self.request_version != "HTTP/1.0":  # HTTP/1.0 predates Host; no browser sends it
            return "Bad request: no Host header."
        if hosts and not self._names_this_server(_name_in(hosts[0])):
            return (f"Bad request: this preview answers only to {', '.join(sorted(self.hosts))}; "
                    "open it at one of those addresses.")
        if "\0" in unquote(self.path):
            return "Bad request: a NUL byte in the path."
        return None

    def _names_this_server(self, name: str) -> bool:
        return name in self.hosts or (self.any_address and _is_address(name))

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = self.path.split("?", 1)[0]
        if path == PREFIX + "livereload.js":
            return self._send(RELOAD_SCRIPT.encode(), "text/javascript")
        if path == PREFIX + "events":
            return self._events()
        page = self._page_at(path)
        if page:
            generation = self.site.generation  # before reading: a rebuild in between only costs a spare reload
            return self._send(self._served_page(page.read_text(encoding="utf-8"), generation),
                              "text/html; charset=utf-8")
        return super().do_GET()

    def _page_at(self, path: str) -> Path | None:
        """The HTML file the path names in the site, if it names one."""
        target = Path(self.translate_path(path))
        try:
            if target.is_dir():
                target = target / "index.html"
            return target if target.suffix == ".html" and target.is_file() and self._in_site(target) else None
        except OSError:  # a name longer than the file system takes names no page
            return None

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        """What GET and HEAD send for a file: never one outside the site folder, whatever a link in it points to."""
        if not self._in_site(Path(self.translate_path(self.path))):
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        return super().send_head()

    def _in_site(self, target: Path) -> bool:
        try:
            return target.resolve().is_relative_to(Path(self.directory).resolve())
        except (OSError, RuntimeError):  # too long a name, a loop of links
            return False

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
        """The reload channel, one of a bounded number: each holds a thread for as long as its page is open."""
        if not self.channels.acquire(blocking=False):
            return self._send(f"Service unavailable: {MAX_RELOAD_CHANNELS} pages are open already; close some "
                              "and reload this one.\n".encode(), "text/plain; charset=utf-8",
                              HTTPStatus.SERVICE_UNAVAILABLE)
        try:
            self._stream_reloads()
        finally:
            self.channels.release()

    def _stream_reloads(self) -> None:
        """"reload" after each rebuild, and a comment now and then that keeps the channel open, until the page goes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        seen = _generation_in(self.path)
        if seen is None:
            seen = self.site.generation
        said = time.monotonic()
        while self._page_open():
            with self.site.changed:
                self.site.changed.wait_for(partial(self._moved_on, seen), timeout=HANG_UP_CHECK)
            if self.site.generation != seen:
                seen = self.site.generation
                self.wfile.write(b"data: reload\n\n")
            elif time.monotonic() - said >= KEEP_ALIVE:
                self.wfile.write(b": still here\n\n")  # a comment keeps the connection open
            else:
                continue
            self.wfile.flush()
            said = time.monotonic()

    def _page_open(self) -> bool:
        """False once the page has hung up: an EventSource sends nothing after its request, so a readable
        connection with nothing to read is a closed one."""
        readable, _, _ = select.select([self.connection], [], [], 0)
        return not readable or self.connection.recv(1, socket.MSG_PEEK) != b""

    def _moved_on(self, generation: int) -> bool:
        return self.site.generation != generation

    def _send(self, body: bytes, content_type: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _name_in(host_header: str) -> str:
    """The name a Host header gives, without its port: any port, since a port forward (docker -p) changes it,
    and a rebinding page is told apart by its name."""
    header = host_header.strip().lower()
    name, colon, port = header.rpartition(":")
    return name if colon and port.isascii() and port.isdigit() else header


def _is_address(name: str) -> bool:
    """An address literal, not a name: no DNS answer can rebind it to this machine."""
    try:
        ipaddress.ip_address(name.removeprefix("[").removesuffix("]"))
    except ValueError:
        return False
    return True


def _in_url(host: str) -> str:
    """The host as it is written in a URL and a Host header: an IPv6 address in brackets."""
    return f"[{host}]" if ":" in host else host


def _generation_in(path: str) -> int | None:
    """The build a page came from, named in ?since=; None for what no build of this server is numbered
    (empty, not digits, or too long to be a count: int() would refuse 5,000 digits with a traceback)."""
    since = parse_qs(urlsplit(path).query).get("since", [""])[0]
    return int(since) if since.isascii() and since.isdigit() and len(since) <= 18 else None


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
                    ready(f"http://{_in_url(host)}:{server.server_address[1]}/")
                    server.serve_forever()
            finally:
                server.server_close()
        finally:
            site.close()


class _Server(ThreadingHTTPServer):
    """A thread per connection, none of them holding up the stop (an open reload channel would)."""

    daemon_threads = True
    request_queue_size = 128  # socketserver's 5 drops the connections of a burst, which then wait a second to retry

    def server_bind(self) -> None:
        """As HTTPServer's, less its look-up of the host's full name in DNS, which a local preview has no use for
        and which can take seconds where DNS is slow."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])


class _IPv6Server(_Server):
    """http.server binds IPv4 sockets only; an IPv6 address (--host ::1) needs one of its own family."""

    address_family = socket.AF_INET6


def _bind(site: Site, host: str, port: int) -> ThreadingHTTPServer:
    """The server of the site's folder; a port in use, or an address this machine lacks, is a clear message."""
    answers_to = frozenset(name.lower() for name in (*LOOPBACK_NAMES, _in_url(host)))
    bound = type("BoundHandler", (Handler,), {"site": site, "hosts": answers_to, "any_address": host in WILDCARD_HOSTS,
                                              "channels": threading.BoundedSemaphore(MAX_RELOAD_CHANNELS)})
    server_class = _IPv6Server if ":" in host else _Server
    try:
        server = server_class((host, port), partial(bound, directory=str(site.folder)))
    except OSError as error:
        where = f"{_in_url(host)}:{port} ({error.strerror})"
        if error.errno == errno.EADDRINUSE:
            raise ServeProblem(f"cannot serve on {where}: is another server using it? Stop it, or pass "
                               f"--port {port + 1}") from error
        raise ServeProblem(f"cannot serve on {where}: this machine has no such address; pass --host "
                           "127.0.0.1") from error
    return server


@contextmanager
def _watching(site: Site) -> Iterator[None]:
    """Rebuild on every save while serving; on the way out wait for a rebuild under way, lest it write after removal."""
    import watchfiles

    from .render import template_folders

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
