"""Shared fixtures: a small clean map written to disk, edited per test."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from journeymap.core import check

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "journey"
# Reviews go stale with the calendar; fix "today" so tests mean the same every day.
os.environ["JOURNEYMAP_TODAY"] = "2026-11-24"
# The cache of parsed files (journeymap/core/cache.py) goes to a folder of this run, never the user's ~/.cache;
# each test gets its own (own_cache below), so no test is answered from another's results.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="journeymap-test-cache-")
os.environ.pop("JOURNEYMAP_CACHE_DIR", None)


@pytest.fixture(autouse=True)
def own_cache_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache of its own for every test: a result cached by one test (or by an earlier run of the same
    code, as mutation testing makes) must never stand in for checking the map again."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setattr(check, "_models", {})  # nor the journeys an earlier test modelled in this process

CLEAN_MAP = {
    "journey.yaml": """\
title: Tiny journey
persona: pat
review:
  cadence_days: 90
  last_reviewed: 2026-11-01
phases:
  - id: early
    name: Early
    goal: Get noticed
stages: [spark, adopt]
""",
    "owners.yaml": """\
owners:
  - id: mkt
    name: Marketing team
    department: Marketing
  - id: cs
    name: Customer Success
    department: Customer Success
""",
    "personas.yaml": """\
personas:
  - id: pat
    name: Pat Doe
    role: Head of Ops
""",
    "stages/spark.yaml": """\
id: spark
name: Spark
phase: early
job: Notice that the old way costs too much
cycle_time_days: 10
evidence: [talk]
metrics:
  volume:
    name: Visitors
    value: 1000
    target: 1200
  health:
    name: Return rate
    value: 0.3
    unit: ratio
touchpoints:
  - id: ad
    name: Sees an ad
    owner: mkt
    initiator: company
    intent: high
    response_sla_hours: 4
    next: [welcome]
    handoff: Marketing passes the lead to CS in the CRM
""",
    "stages/adopt.yaml": """\
id: adopt
name: Adopt
job: Get the team using it
cycle_time_days: 20
metrics:
  volume:
    name: Accounts live
    value: 100
    target: 150
  health:
    name: Weekly active share
    value: 0.5
    unit: ratio
touchpoints:
  - id: welcome
    name: Welcome call
    owner: cs
    initiator: company
    intent: medium
""",
    "briefs/spark-brief.md": """\
---
title: Spark campaign
stage: spark
touchpoints: [ad]
owner: mkt
status: live
---
Reach people **early**.
""",
    "briefs/adopt-brief.md": """\
---
title: Adoption push
stage: adopt
status: draft
---
Help them adopt.
""",
    "evidence/talk.md": """\
---
title: Talk with a customer
kind: interview
date: 2026-10-01
stages: [adopt]
---
Notes.
""",
    "experiments/faster-reply.yaml": """\
id: faster-reply
stage: spark
touchpoints: [ad]
owner: mkt
hypothesis: Replying within an hour lifts conversion
metric: health
status: running
""",
}


def browser_required() -> bool:
    """In CI (or with JOURNEYMAP_REQUIRE_BROWSER=1) a browser test that skips is a failure, not a pass:
    a CI run without Chromium would otherwise go green with the site never opened in a browser."""
    return (os.environ.get("JOURNEYMAP_REQUIRE_BROWSER") == "1"
            or os.environ.get("CI", "").lower() in ("true", "1"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    outcome = yield
    report = outcome.get_result()
    if report.skipped and item.get_closest_marker("browser") and browser_required():
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = (f"browser test skipped where it must run (CI or JOURNEYMAP_REQUIRE_BROWSER=1): {reason}; "
                           "install Chromium (`make test` does) or point JOURNEYMAP_CHROMIUM at it")


def edited(edits: dict, files: dict[str, str] | None = None) -> dict[str, str]:
    """The clean map (or `files`) with edits: file -> (old, new) for one exact replacement (it must be
    there: a test's edit fails loudly if the fixture changed under it), new text, or None to delete."""
    files = dict(CLEAN_MAP if files is None else files)
    for name, edit in edits.items():
        if edit is None:
            files.pop(name)
        elif isinstance(edit, tuple):
            assert edit[0] in files[name], f"{edit[0]!r} not in {name}"
            files[name] = files[name].replace(edit[0], edit[1], 1)
        else:
            files[name] = edit
    return files


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by its relative path: what a test compares two sites by."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def write_map(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def clean_map(tmp_path: Path) -> Path:
    return write_map(tmp_path / "map", CLEAN_MAP)


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real command, in a real process, as CI runs it."""
    return subprocess.run([sys.executable, "-m", "journeymap", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def line_of(text: str, needle: str) -> int:
    """The 1-based line where `needle` first appears: fixtures say where a gap is by its text."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in fixture")


CHROMIUM = os.environ.get("JOURNEYMAP_CHROMIUM", "/usr/bin/chromium")
#: the flags that keep Chromium off the network in a closed sandbox
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Debian's Chromium driven by Playwright: every browser test of the suite opens its pages here."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}; `make test` installs it")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
