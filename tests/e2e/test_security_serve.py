"""`journeymap serve` against a hostile browser tab or a hostile local client (issue 18), in a real server process.

A page on another site can rebind its own name to 127.0.0.1 and read what the preview serves; a client can open
connections and never finish its request, or open reload channels without end. All traffic here is to loopback.
"""

from __future__ import annotations

import select
import signal
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import CLEAN_MAP, write_map
from ..site.test_serve import Served, ctrl_c_reaches_the_server  # noqa: F401 - the fixture, for this module's servers too

#: how the server is started with short limits: the constants patched in its own process before it serves
QUICK_LIMITS = ("-c", "import journeymap.site.serve as serve\n"
                      "serve.READ_TIMEOUT = 1.0\n"
                      "serve.MAX_RELOAD_CHANNELS = 3\n"
                      "from journeymap.cli import run\n"
                      "run()\n")
DEADLINE = 30  # seconds: generous, for a busy machine; the limits under test are about a second


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Served, int]]:
    """A real `journeymap serve` of the clean map with a 1 s read timeout and room for 3 reload channels."""
    folder = write_map(tmp_path / "map", CLEAN_MAP)
    with Served(folder, "--port", "0", launcher=QUICK_LIMITS) as served:
        port = int(served.wait_for(r"on http://127\.0\.0\.1:(\d+)/").group(1))
        yield served, port


def ask(port: int, request: str | bytes, address: str = "127.0.0.1") -> tuple[int, dict[str, str], bytes]:
    """One raw request (the Host header is the test's to write, or leave out); the answer, read to the end (the
    server closes each connection) or, for an event stream, which has none, to the end of its head."""
    with socket.create_connection((address, port), timeout=DEADLINE) as client:
        client.sendall(request.encode() if isinstance(request, str) else request)
        answer, deadline = b"", time.monotonic() + DEADLINE
        while not (b"\r\n\r\n" in answer and b"text/event-stream" in answer) and time.monotonic() < deadline:
            client.settimeout(max(deadline - time.monotonic(), 0.01))
            chunk = client.recv(65536)
            if not chunk:
                break
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/"), f"no HTTP answer: {answer[:200]!r}"
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split(" ")[1]), headers, body


def get(port: int, path: str, host: str | None) -> tuple[int, dict[str, str], bytes]:
    host_line = f"Host: {host}\r\n" if host is not None else ""
    return ask(port, f"GET {path} HTTP/1.1\r\n{host_line}Connection: close\r\n\r\n")


def open_channel(port: int) -> tuple[socket.socket, bytes]:
    """A reload channel as EventSource opens it; the socket (left open) and the status line it got."""
    client = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE)
    client.sendall(f"GET /__journeymap__/events?since= HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                   "Accept: text/event-stream\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = client.recv(4096)
        if not chunk:
            break
        head += chunk
    return client, head.split(b"\r\n", 1)[0]


def dropped(client: socket.socket) -> bool:
    """Whether the server has closed this connection (an end of file, or a reset), without waiting."""
    readable, _, _ = select.select([client], [], [], 0)
    if not readable:
        return False
    try:
        return client.recv(4096) == b""
    except ConnectionError:
        return True


def stopped_without_traceback(served: Served) -> None:
    """Ctrl-C, and everything it said up to "stopped" (so every request's say is in) is free of tracebacks."""
    served.process.send_signal(signal.SIGINT)
    served.wait_for(r"^stopped$")
    assert not any("Traceback" in line for line in served.seen), "\n".join(served.seen)


FOREIGN_HOSTS = ["attacker.example", "attacker.example:{port}", "127.0.0.1.attacker.example:{port}",
                 "localhost.attacker.example", "attacker.example:{port}@127.0.0.1", "127.0.0.2:{port}"]
SERVED_PATHS = ["/", "/stages/spark.html", "/map.json", "/__journeymap__/livereload.js", "/__journeymap__/events",
                "/no-such-page.html"]


def test_a_foreign_host_gets_a_short_plain_400_on_every_path_including_the_reload_channel(server) -> None:
    """DNS rebinding: the attacker's page talks to 127.0.0.1 but its requests still say its own name."""
    served, port = server
    for host in FOREIGN_HOSTS:
        for path in SERVED_PATHS:
            status, headers, body = get(port, path, host.format(port=port))
            assert status == 400, (host, path, status)
            assert headers["Content-Type"].startswith("text/plain") and len(body) < 300, (host, path, body)
            assert b"Spark" not in body and b"Tiny journey" not in body
    head = ask(port, f"HEAD /stages/spark.html HTTP/1.1\r\nHost: attacker.example:{port}\r\n\r\n")
    assert head[0] == 400 and head[2] == b""  # HEAD too, and no body to a HEAD
    stopped_without_traceback(served)


def test_only_its_own_names_with_or_without_the_port_get_the_map(server) -> None:
    served, port = server
    for host in ["127.0.0.1:{port}", "localhost:{port}", "127.0.0.1", "localhost", "LocalHost:{port}",
                 "[::1]:{port}", "[::1]"]:
        status, _, body = get(port, "/stages/spark.html", host.format(port=port))
        assert status == 200 and b"<h1" in body and b"Spark" in body, (host, status, body[:200])
    assert get(port, "/stages/spark.html", None)[0] == 400  # HTTP/1.1 must name a Host
    two = ask(port, f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: attacker.example\r\n\r\n")
    assert two[0] == 400
    stopped_without_traceback(served)


def test_connections_that_send_nothing_or_half_a_request_are_dropped_and_others_still_answered(server) -> None:
    """200 silent connections were kept for ever, a thread each; now each gets READ_TIMEOUT (1 s here) in all."""
    served, port = server
    idle = [socket.create_connection(("127.0.0.1", port), timeout=DEADLINE) for _ in range(30)]
    half = [socket.create_connection(("127.0.0.1", port), timeout=DEADLINE) for _ in range(30)]
    for client in half:
        client.sendall(b"GET /stages/spa")
    trickle = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE)  # a byte now and then, never done
    status, _, body = get(port, "/stages/spark.html", f"127.0.0.1:{port}")
    assert status == 200 and b"Spark" in body  # answered while all of them are open
    waiting, deadline = [*idle, *half], time.monotonic() + DEADLINE
    trickled = False
    while (waiting or not trickled) and time.monotonic() < deadline:
        waiting = [client for client in waiting if not dropped(client)]
        if not trickled:
            try:
                trickle.sendall(b"G")
                trickled = dropped(trickle)
            except ConnectionError:
                trickled = True
        time.sleep(0.2)
    assert not waiting, f"{len(waiting)} of 60 half-open connections still open after {DEADLINE} s"
    assert trickled, "a client sending a byte every 0.2 s kept its connection"
    for client in [*idle, *half, trickle]:
        client.close()
    assert get(port, "/", f"localhost:{port}")[0] == 200
    stopped_without_traceback(served)


def test_reload_channels_past_the_bound_get_503_and_pages_are_still_served(server) -> None:
    served, port = server
    channels = [open_channel(port) for _ in range(3)]
    assert [status for _, status in channels] == [b"HTTP/1.0 200 OK"] * 3
    status, headers, body = get(port, "/__journeymap__/events?since=", f"127.0.0.1:{port}")
    assert status == 503 and headers["Content-Type"].startswith("text/plain") and b"3" in body
    assert get(port, "/stages/spark.html", f"127.0.0.1:{port}")[0] == 200  # pages still served
    channels.pop()[0].close()  # a tab closed: its place comes free
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        again, status_line = open_channel(port)
        if status_line == b"HTTP/1.0 200 OK":
            channels.append((again, status_line))
            break
        again.close()
        time.sleep(0.2)
    else:
        raise AssertionError("a closed channel's place never came free")
    for client, _ in channels:
        client.close()
    stopped_without_traceback(served)


ODD_PATHS = {  # path -> the status it gets: never a traceback, never a file from outside the site
    "/%00": 400, "/index.html%00": 400, "/stages%00/spark.html": 400, "/%00/../secret.txt": 400,
    "/../secret.txt": 404, "/%2e%2e/secret.txt": 404, "/%2E%2E%2Fsecret.txt": 404, "/..%2f..%2fsecret.txt": 404,
    "/..\\secret.txt": 404, "/%2e%2e%5csecret.txt": 404, "/stages/..\\..\\secret.txt": 404,
    "/" + "a" * 300: 404, "/" + "a/" * 3000: 404, "/" + "a" * 70000: 414, "/linked.txt": 404,
}


def test_odd_paths_get_a_clean_4xx_and_nothing_outside_the_site(server) -> None:
    """A NUL byte, `..` in its disguises, backslashes, names too long for the file system, a link out of the site."""
    served, port = server
    assert served.scratch is not None
    secret = served.scratch / "secret.txt"  # beside the site folder, the server's own
    secret.write_text("not for the browser\n")
    (served.scratch / "site" / "linked.txt").symlink_to(secret)
    for path, expected in ODD_PATHS.items():
        for method in ("GET", "HEAD"):
            status, _, body = ask(port, f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n")
            assert status == expected, (method, path[:60], status)
            assert b"not for the browser" not in body
    stopped_without_traceback(served)


def test_a_since_of_5000_digits_opens_the_channel_without_a_traceback(server) -> None:
    served, port = server
    client = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE)
    client.sendall(f"GET /__journeymap__/events?since={'9' * 5000} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
                   .encode())
    head = b""
    while b"\r\n\r\n" not in head and (chunk := client.recv(4096)):
        head += chunk
    client.close()
    assert head.startswith(b"HTTP/1.0 200 OK") and b"text/event-stream" in head, head[:200]
    stopped_without_traceback(served)


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _has_ipv6_loopback(), reason="this machine has no IPv6 loopback (::1) to serve on")
@pytest.mark.parametrize("written", ["::1", "[::1]"])  # as an address, and as a URL writes it
def test_host_ipv6_loopback_serves_on_it(tmp_path: Path, written: str) -> None:
    folder = write_map(tmp_path / "map", CLEAN_MAP)
    with Served(folder, "--port", "0", "--host", written) as served:
        port = int(served.wait_for(r"on http://\[::1\]:(\d+)/").group(1))  # a URL a browser can open
        for host in (f"[::1]:{port}", f"localhost:{port}"):
            status, _, body = ask(port, f"GET /stages/spark.html HTTP/1.1\r\nHost: {host}\r\n\r\n", "::1")
            assert status == 200 and b"Spark" in body, (host, status)
        assert ask(port, f"GET / HTTP/1.1\r\nHost: attacker.example:{port}\r\n\r\n", "::1")[0] == 400
        stopped_without_traceback(served)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux routes all of 127.0.0.0/8 to loopback")
def test_the_host_it_was_started_for_is_one_of_its_names(tmp_path: Path) -> None:
    """--host 127.0.0.2 (loopback too, on Linux): a browser there says Host: 127.0.0.2, which is this server."""
    folder = write_map(tmp_path / "map", CLEAN_MAP)
    with Served(folder, "--port", "0", "--host", "127.0.0.2") as served:
        port = int(served.wait_for(r"on http://127\.0\.0\.2:(\d+)/").group(1))
        for host in (f"127.0.0.2:{port}", "127.0.0.2", f"127.0.0.1:{port}"):
            assert ask(port, f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n", "127.0.0.2")[0] == 200, host
        assert ask(port, f"GET / HTTP/1.1\r\nHost: 127.0.0.3:{port}\r\n\r\n", "127.0.0.2")[0] == 400
        assert not any("anyone" in line for line in served.seen)  # loopback: no warning that others can see it
        stopped_without_traceback(served)


def test_serving_beyond_loopback_warns_that_others_can_see_the_map(tmp_path: Path) -> None:
    folder = write_map(tmp_path / "map", CLEAN_MAP)
    with Served(folder, "--port", "0", "--host", "0.0.0.0") as served:  # nothing but loopback is ever sent to
        assert any("shows the map to anyone who can reach this machine" in line for line in served.seen)
        stopped_without_traceback(served)
