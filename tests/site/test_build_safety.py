"""Nothing lost: failed, killed and concurrent builds leave a whole site, the old one or the new one.

Real processes, a real SIGKILL, two real builds racing for one folder. The map is
large enough (20 stages × 40 touchpoints) that a kill lands in the middle of
rendering, and the two versions of the map differ on every page, so a mix of
old and new pages cannot pass for either.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from journeymap.site.writer import MARKER

from ..bigmap import write_big_map
from ..conftest import CLEAN_MAP, snapshot, write_map


def build_command(source: Path, output: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "journeymap", "build", str(source), "-o", str(output), *extra]


def build(source: Path, output: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(build_command(source, output, *extra), capture_output=True, text=True, timeout=300)


def retitle(folder: Path, title: str) -> None:
    journey = folder / "journey.yaml"
    text = journey.read_text()
    journey.write_text("\n".join(f"title: {title}" if line.startswith("title:") else line
                                 for line in text.splitlines()) + "\n")


def leftovers(parent: Path, name: str) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{name}-"))


def test_a_build_that_fails_halfway_leaves_the_old_site_byte_for_byte(tmp_path: Path) -> None:
    folder = write_map(tmp_path / "map", CLEAN_MAP)
    output = tmp_path / "site"
    assert build(folder, output).returncode == 0
    before = snapshot(output)
    retitle(folder, "A new title on every page")  # the pages rendered before the failure differ from the old
    (folder / "templates").mkdir()
    (folder / "templates/brief.html").write_text("{% extends 'base.html' %}{% block main %}{{ nope }}{% endblock %}")
    failed = build(folder, output, "--templates", str(folder / "templates"))
    assert failed.returncode == 2 and "brief.html" in failed.stderr
    assert snapshot(output) == before
    assert leftovers(tmp_path, "site") == []


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict, dict, float]:
    """A large map in two versions, each built once for reference, and how long one build takes."""
    root = tmp_path_factory.mktemp("versions")
    old = write_big_map(root / "old", stages=20, touchpoints=40, owners=12)
    new = write_big_map(root / "new", stages=20, touchpoints=40, owners=12)
    retitle(new, "The new version")
    started = time.monotonic()
    assert build(old, root / "old-site").returncode == 0
    duration = time.monotonic() - started
    assert build(new, root / "new-site").returncode == 0
    return old, new, snapshot(root / "old-site"), snapshot(root / "new-site"), duration


def test_a_killed_build_leaves_the_old_site_or_the_new_one_whole(tmp_path: Path, two_versions: tuple) -> None:
    old, new, old_site, new_site, duration = two_versions
    output = tmp_path / "site"
    assert build(old, output).returncode == 0
    outcomes = []
    for fraction in (0.1, 0.25, 0.4, 0.55, 0.7, 0.8, 0.9, 0.95, 1.0, 1.1):
        process = subprocess.Popen(build_command(new, output), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(duration * fraction)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        state = snapshot(output) if output.exists() else {}
        outcome = "old" if state == old_site else "new" if state == new_site else "neither"
        outcomes.append(outcome)
        assert outcome != "neither", f"killed at {fraction:.0%}: a mixed or missing site"
        if outcome == "new":  # back to the old site, so the next kill has something to lose
            assert build(old, output).returncode == 0
    assert "old" in outcomes, "no kill landed mid-build: make the map larger"
    assert build(new, output).returncode == 0 and snapshot(output) == new_site
    assert leftovers(tmp_path, "site") == []  # what killed builds left is gone


def test_a_site_caught_between_two_renames_is_restored_by_the_next_build(tmp_path: Path) -> None:
    """Where the system cannot swap folders atomically, a kill between the renames leaves this behind."""
    folder = write_map(tmp_path / "map", CLEAN_MAP)
    output = tmp_path / "site"
    assert build(folder, output).returncode == 0
    before = snapshot(output)
    os.replace(output, tmp_path / ".site-old-killed")
    (tmp_path / ".site-new-killed").mkdir()
    (tmp_path / ".site-new-killed/index.html").write_text("half a site")
    (folder / "templates").mkdir()
    (folder / "templates/brief.html").write_text("{% extends 'base.html' %}{% block main %}{{ nope }}{% endblock %}")
    failed = build(folder, output, "--templates", str(folder / "templates"))
    assert failed.returncode == 2  # this build fails too: the old site must still come back
    assert snapshot(output) == before and (output / MARKER).exists()
    assert leftovers(tmp_path, "site") == []


def test_concurrent_builds_of_one_folder_take_turns(tmp_path: Path, two_versions: tuple) -> None:
    """A small map's build starts while a large one renders: it must wait, not sweep the other's work away."""
    large, _, large_site, _, duration = two_versions
    small = write_map(tmp_path / "small", CLEAN_MAP)
    assert build(small, tmp_path / "small-site").returncode == 0
    small_site = snapshot(tmp_path / "small-site")
    output = tmp_path / "site"
    for head_start in (0.2, 0.35, 0.5, 0.65):
        first = subprocess.Popen(build_command(large, output), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(duration * head_start)
        second = subprocess.Popen(build_command(small, output), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        codes = first.wait(timeout=300), second.wait(timeout=300)
        assert codes == (0, 0), (first.stderr.read(), second.stderr.read())
        assert snapshot(output) in (large_site, small_site)  # one waited for the other: a whole site, never a mix
    assert leftovers(tmp_path, "site") == []
