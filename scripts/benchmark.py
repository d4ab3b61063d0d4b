"""Measure what the issues promise: whole-process check time, build time, peak memory.

    .venv/bin/python scripts/benchmark.py [--runs 11]

Figures are medians over whole processes (interpreter start included), as a user
or CI experiences them; peak memory is the child processes' max RSS.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from bigmap import write_big_map  # noqa: E402

JOURNEYMAP = [str(Path(sys.executable).parent / "journeymap")]


def timed(command: list[str], runs: int) -> tuple[float, float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    runs = parser.parse_args().runs
    work = Path(tempfile.mkdtemp(prefix="journeymap-bench-"))
    try:
        big = write_big_map(work / "big", stages=7, touchpoints=10)
        huge = write_big_map(work / "huge", stages=20, touchpoints=40, owners=12)
        rows = [
            ("check journey/ (example, 37 touchpoints)", JOURNEYMAP + ["check", "journey"]),
            ("check 7 stages x 10 touchpoints", JOURNEYMAP + ["check", str(big)]),
            ("check 20 stages x 40 touchpoints", JOURNEYMAP + ["check", str(huge)]),
            ("build journey/ (example site)", JOURNEYMAP + ["build", "journey", "-o", str(work / "o1")]),
            ("build 7 stages x 10 touchpoints", JOURNEYMAP + ["build", str(big), "-o", str(work / "o2")]),
            ("build 20 stages x 40 touchpoints", JOURNEYMAP + ["build", str(huge), "-o", str(work / "o3")]),
        ]
        print(f"journeymap benchmark, {runs} runs each, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
        print(f"{'what':45} {'median':>8} {'min':>8} {'max':>8}")
        for label, command in rows:
            count = runs if "check" in label else max(3, runs // 3)
            median, low, high = timed(command, count)
            print(f"{label:45} {median:7.3f}s {low:7.3f}s {high:7.3f}s")
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory of any run (max RSS): {peak_mb:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
