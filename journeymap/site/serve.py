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
import signal
import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

from ..util.errors import JourneymapError
from .serve_http import Handler, in_url
from .serve_site import Site

#: seconds a connection has to send its whole request line and headers (and a reader to take each write): one
#: that sends nothing, or a byte now and then, is dropped rather than holding a thread for ever
READ_TIMEOUT = 5.0
#: reload channels open at once (each holds a thread); past this many a new one is refused with 503
MAX_RELOAD_CHANNELS = 64
#: what a browser on this machine puts in Host for a loopback server, whatever --host said
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
#: addresses that mean "every address of this machine": any address literal may name the server then
WILDCARD_HOSTS = ("0.0.0.0", "::")
#: what stops the server besides Ctrl-C: kill and docker stop (SIGTERM), a closed terminal (SIGHUP; not on Windows)
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class ServeProblem(JourneymapError):
    """The server cannot start: the port is taken, the host cannot be bound."""


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
                    ready(f"http://{in_url(host)}:{server.server_address[1]}/")
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
    answers_to = frozenset(name.lower() for name in (*LOOPBACK_NAMES, in_url(host)))
    bound = type("BoundHandler", (Handler,), {
        "site": site, "hosts": answers_to, "any_address": host in WILDCARD_HOSTS, "read_timeout": READ_TIMEOUT,
        "channels": threading.BoundedSemaphore(MAX_RELOAD_CHANNELS), "channel_limit": MAX_RELOAD_CHANNELS})
    server_class = _IPv6Server if ":" in host else _Server
    try:
        server = server_class((host, port), partial(bound, directory=str(site.folder)))
    except OSError as error:
        where = f"{in_url(host)}:{port} ({error.strerror})"
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
