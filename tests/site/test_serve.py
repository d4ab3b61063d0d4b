"""`journeymap serve`: a real server process, a real file edited, a real Chromium page reloading itself."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import CLEAN_MAP, edited, run_cli, write_map


class Served:
    """`journeymap serve` in its own process, its terminal read line by line; as a context, stopped and cleaned up."""

    def __init__(self, folder: Path, *args: str, launcher: tuple[str, ...] = ("-m", "journeymap")) -> None:
        """`launcher` is how Python starts journeymap: `-c` code can set a constant of the server's first."""
        self.process = subprocess.Popen([sys.executable, *launcher, "serve", str(folder), *args],
                                        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.scratch: Path | None = None
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))

    def __enter__(self) -> Served:
        """Started once it names its folder, which __exit__ removes should a failed test leave it."""
        try:
            self.scratch = Path(self.wait_for(r"building into (\S+)").group(1))
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        """Ctrl-C if still running; the folder is removed by now unless a test has already failed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(timeout=10)
        if self.scratch:
            shutil.rmtree(self.scratch, ignore_errors=True)

    def wait_for(self, pattern: str, timeout: float = 20) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            match = re.search(pattern, line)
            if match:
                return match
        raise AssertionError(f"no line matching {pattern!r} in {self.seen}")


@pytest.fixture(autouse=True, scope="module")
def ctrl_c_reaches_the_server() -> Iterator[None]:
    """A suite started in the background (`make test &`, nohup) runs with SIGINT ignored, which a server
    would inherit and so never stop on the Ctrl-C of __exit__; a handler of ours is the default after exec."""
    before = signal.getsignal(signal.SIGINT)
    if before is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


@pytest.fixture
def served_map(tmp_path: Path) -> Iterator[tuple[Served, Path, str, Path]]:
    folder = write_map(tmp_path / "map", CLEAN_MAP)
    with Served(folder, "--port", "0") as server:
        url = server.wait_for(r"on (http://127\.0\.0\.1:\d+/)").group(1)
        yield server, folder, url, server.scratch


def test_a_page_served_before_a_rebuild_reloads_even_if_its_channel_opens_after_it(served_map) -> None:
    server, folder, url, _ = served_map
    page = urllib.request.urlopen(url + "stages/spark.html", timeout=10).read().decode()
    script = re.search(r'<script src="(/__journeymap__/livereload\.js)" data-generation="(\d+)">', page)
    assert script, page[-300:]
    stage = folder / "stages/spark.yaml"
    stage.write_text(CLEAN_MAP["stages/spark.yaml"].replace("name: Spark\n", "name: Spark, renamed\n"))
    server.wait_for(r"rebuilt in")  # the rebuild lands before the page's reload channel opens
    events = urllib.request.urlopen(f"{url}__journeymap__/events?since={script.group(2)}", timeout=5)
    assert events.readline() == b"data: reload\n"  # at once, not at the next rebuild
    events.close()
    for since in ("%C2%B2", "x", ""):  # "²" is a digit to str.isdigit, not to int(): no traceback either way
        with urllib.request.urlopen(f"{url}__journeymap__/events?since={since}", timeout=5) as odd:
            assert odd.headers["Content-Type"] == "text/event-stream"
    time.sleep(0.3)
    assert not any("Traceback" in line for line in server.seen + list(server.lines.queue))


@pytest.mark.browser
def test_an_open_page_reloads_itself_after_a_save_and_shows_a_broken_map(browser, served_map) -> None:
    server, folder, url, _ = served_map
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url + "stages/spark.html")
    assert page.locator("h1").inner_text().strip() == "Spark"
    page.wait_for_timeout(300)  # the reload channel is open

    stage = folder / "stages/spark.yaml"
    started = time.monotonic()
    stage.write_text(CLEAN_MAP["stages/spark.yaml"].replace("name: Spark\n", "name: Spark, renamed\n"))
    page.locator("h1", has_text="Spark, renamed").wait_for(timeout=2000)  # no eval: the page's CSP forbids it
    assert time.monotonic() - started < 2  # by itself, within two seconds

    stage.write_text(CLEAN_MAP["stages/spark.yaml"].replace("name: Spark\n", "name: Spark: broken\n"))
    page.wait_for_selector("#journeymap-serve-banner", timeout=2000)
    assert "spark.yaml" in page.locator("#journeymap-serve-banner").inner_text()
    server.wait_for(r"\[invalid-yaml\]")  # the terminal says it too, and the server is still up

    stage.write_text(CLEAN_MAP["stages/spark.yaml"])
    page.wait_for_selector("#journeymap-serve-banner", state="detached", timeout=2000)
    assert page.locator("h1").inner_text().strip() == "Spark"
    assert errors == []  # the reload script runs under the site's Content-Security-Policy
    page.close()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_ctrl_c_kill_and_a_closed_terminal_stop_the_server_and_remove_its_folder(served_map, stop) -> None:
    """Ctrl-C, kill or docker stop (SIGTERM), a closed terminal (SIGHUP): the same clean stop, exit 0."""
    server, _, url, scratch = served_map
    with urllib.request.urlopen(url) as response:
        assert response.status == 200 and b"livereload.js" in response.read() and scratch.is_dir()
    server.process.send_signal(stop)
    assert server.process.wait(timeout=30) == 0  # a clean stop, however busy the machine: not a speed test
    assert not scratch.exists()
    server.wait_for(r"^stopped$")
    assert not any("Traceback" in line for line in server.seen), "\n".join(server.seen)


def test_pressing_ctrl_c_again_while_it_stops_does_not_cut_the_stop_short(served_map) -> None:
    server, _, _, scratch = served_map
    server.process.send_signal(signal.SIGINT)
    deadline = time.monotonic() + 5
    while server.process.poll() is None and time.monotonic() < deadline:  # impatient: again and again
        server.process.send_signal(signal.SIGINT if time.monotonic() % 0.002 < 0.001 else signal.SIGTERM)
    assert server.process.wait(timeout=5) == 0
    assert not scratch.exists()
    server.wait_for(r"^stopped$")
    assert not any("Traceback" in line for line in server.seen), "\n".join(server.seen)


def test_a_browser_leaving_mid_answer_is_no_traceback(served_map) -> None:
    """A reload while a page is still loading drops the connection; the terminal must stay quiet about it."""
    server, _, url, _ = served_map
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    for _ in range(20):
        with socket.create_connection((host, int(port))) as client:
            client.sendall(f"GET /stages/spark.html HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close is a reset
    with urllib.request.urlopen(url) as response:
        assert response.status == 200 and response.read()  # still serving
    time.sleep(0.5)  # the dropped requests' threads have had their say
    server.process.send_signal(signal.SIGINT)
    server.wait_for(r"^stopped$")
    assert not any("Traceback" in line for line in server.seen), "\n".join(server.seen)


def test_one_error_is_one_error_in_the_terminal(tmp_path: Path) -> None:
    """"1 error", not "1 errors": when the first build has it, and while the last good build is kept."""
    folder = write_map(tmp_path / "map", edited({"stages/spark.yaml": "id: spark\nname: [unclosed\n"}))
    with Served(folder, "--port", "0") as server:
        server.wait_for(r"^rebuilt in [\d.]+ s; 1 error$")
        server.wait_for(r"^Serving ")  # the watcher is on
        (folder / "stages/spark.yaml").write_text("id: spark\nname: [still unclosed\n")
        server.wait_for(r"^the map has 1 error: still serving the last good build$")


def test_a_port_in_use_is_a_clear_message(tmp_path: Path) -> None:
    write_map(tmp_path / "map", CLEAN_MAP)
    scratch = tmp_path / "tmp"  # its own temporary folder: other servers on this machine make theirs in /tmp
    scratch.mkdir()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "journeymap", "serve", "map", "--port", str(port)],
                                cwd=tmp_path, capture_output=True, text=True, timeout=60,
                                env={**os.environ, "TMPDIR": str(scratch)})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"--port {port + 1}" in result.stderr
    assert "building into " + str(scratch) in result.stderr  # it made its folder there ...
    assert not list(scratch.glob("journeymap-serve-*"))  # ... and the folder it made for the site is gone


def test_the_reload_script_is_never_in_build_output(tmp_path: Path) -> None:
    write_map(tmp_path / "map", CLEAN_MAP)
    assert run_cli("build", "map", "-o", "site", cwd=tmp_path).returncode == 0
    for page in (tmp_path / "site").rglob("*.html"):
        assert "__journeymap__" not in page.read_text()



@pytest.mark.browser
@pytest.mark.parametrize("scrolled", [0, 300])
def test_the_banner_is_in_view_after_the_reload_that_shows_it(browser, served_map, scrolled: int) -> None:
    """Chromium puts a reloaded page back where it was scrolled: the banner must show there, not over the header."""
    _, folder, url, _ = served_map
    page = browser.new_page(viewport={"width": 1000, "height": 400})
    page.goto(url + "stages/spark.html")
    page.evaluate(f"window.scrollTo(0, {scrolled})")
    page.wait_for_timeout(300)  # the reload channel is open
    (folder / "stages/spark.yaml").write_text("id: spark\nname: [unclosed\n")
    banner = page.locator("#journeymap-serve-banner")
    banner.wait_for(timeout=5000)
    page.wait_for_load_state("load")  # the scroll position is restored by now
    box = banner.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 400
    assert page.evaluate("window.scrollY") == scrolled  # what was on screen moved down under the banner, not behind it
    page.evaluate("window.scrollTo(0, 0)")
    header = page.locator("header.site-header").bounding_box()
    box = banner.bounding_box()
    assert header is not None and box is not None and header["y"] >= box["y"] + box["height"]
    page.close()
