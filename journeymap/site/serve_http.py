"""serve's HTTP side: the files of the current build, the reload channel, and the guards in front of both.

The preview runs while its author browses other sites, so it answers only requests
for its own names (DNS rebinding gets 400); a connection that never finishes its
request, and reload channels past a bound, are let go so they cannot use up the server.
"""

from __future__ import annotations

import html
import io
import ipaddress
import select
import socket
import threading
import time
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qs, unquote, urlsplit

from .serve_site import Site

PREFIX = "/__journeymap__/"
#: seconds between the comments that keep an idle reload channel open
KEEP_ALIVE = 15.0
#: seconds between looks at whether a reload channel's page has gone, so a closed tab frees its place soon
HANG_UP_CHECK = 1.0
RELOAD_SCRIPT = """\
// journeymap serve: reload this page when the site is rebuilt (served pages only).
(function () {
  var script = document.currentScript, since = script ? script.getAttribute("data-generation") : "";
  var source = new EventSource("/__journeymap__/events?since=" + encodeURIComponent(since || ""));
  source.onmessage = function (event) { if (event.data === "reload") { location.reload(); } };
})();
"""

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
    channel_limit: int  # how many places there are
    read_timeout: float  # seconds a connection has to send its request (serve.READ_TIMEOUT)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass  # the terminal shows rebuilds, not every request

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.read_timeout)
        self.rfile = io.BufferedReader(_HeadReader(self.connection, self.read_timeout))

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
            return self._send(f"Service unavailable: {self.channel_limit} pages are open already; close some "
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
        connection with nothing to read is a closed one. So is a socket already closed under the channel, as
        when the server stops while a page is open (select() refuses its descriptor, -1)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return not readable or self.connection.recv(1, socket.MSG_PEEK) != b""
        except (OSError, ValueError):
            return False

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


def is_loopback(host: str) -> bool:
    """Only this machine can reach a loopback address (all of 127.0.0.0/8 and ::1), or localhost."""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def in_url(host: str) -> str:
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
