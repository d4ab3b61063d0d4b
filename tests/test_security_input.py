"""Issue 18, the map's own input: what a hostile branch can write in a map file must not hang the check,
break the build, put a number no JSON reader takes into map.json, or drive the reviewer's terminal.

Each case is the clean map with one hostile thing in it, checked (and built) by the real command in a
real process, as CI runs it on a pull request, under a time limit (and, for the bombs, a memory bound).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from .conftest import CLEAN_MAP, line_of, run_cli, write_map

SPARK = "stages/spark.yaml"
#: memory a check of a small map may take: ten times what one needs, a sliver of what a bomb takes
MEMORY_BOUND = 1024 * 1024 * 1024
#: seconds a check of a small map may take on a loaded machine (it needs well under one)
TIME_BOUND = 10


def _bounded_check(folder: Path) -> tuple[subprocess.CompletedProcess, float]:
    """`journeymap check` under a memory bound and a time limit: a bomb fails the test, never the machine."""
    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BOUND, MEMORY_BOUND))

    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "journeymap", "check", folder.name], cwd=folder.parent,
                            capture_output=True, text=True, timeout=TIME_BOUND * 3, preexec_fn=limit_memory,
                            env=os.environ.copy())
    return result, time.monotonic() - started


def _with_meta(lines: list[str]) -> dict[str, str]:
    """The clean map whose spark stage carries `lines` under `meta:` (free-form: only the loader judges it)."""
    return {**CLEAN_MAP, SPARK: CLEAN_MAP[SPARK] + "meta:\n" + "\n".join(lines) + "\n"}


def _chained_merge_bomb(levels: int = 12, width: int = 9) -> list[str]:
    """Each level merges the one before `width` times: 3 keys become 3 × 9¹² if every merge is copied out."""
    lines = ["  a: &a {x0: 1, x1: 2, x2: 3}"]
    previous = "a"
    for level, name in enumerate("bcdefghijklm"[:levels]):
        lines.append(f"  {name}: &{name} {{<<: [{', '.join(['*' + previous] * width)}], k{level}: 1}}")
        previous = name
    return lines


def _wide_merge_bomb(keys: int = 20_000, merges: int = 500, lines: int = 5) -> list[str]:
    """One wide mapping merged hundreds of times on each of a few lines: PyYAML 6.0.4 still does every copy."""
    wide = ["  wide: &wide {" + ", ".join(f"k{i}: 1" for i in range(keys)) + "}"]
    return wide + [f"  copy{n}: {{<<: [{', '.join(['*wide'] * merges)}]}}" for n in range(lines)]


def _assert_refused_quickly(tmp_path: Path, lines: list[str]) -> None:
    files = _with_meta(lines)
    folder = write_map(tmp_path / "map", files)
    result, seconds = _bounded_check(folder)
    output = result.stdout + result.stderr
    assert seconds < TIME_BOUND and "Traceback" not in output and "MemoryError" not in output, output[-2000:]
    assert result.returncode == 1, output[-2000:]
    refused = [line for line in result.stdout.splitlines() if "[invalid-yaml]" in line]
    merge_line = next(n for n, line in enumerate(files[SPARK].splitlines(), 1) if "<<:" in line)
    assert len(refused) == 1 and f"map/{SPARK}:" in refused[0], output[-2000:]
    assert "merge keys (`<<:`)" in refused[0] and "write the values out" in refused[0]
    line = int(refused[0].split(f"map/{SPARK}:")[1].split(":")[0])
    assert merge_line <= line <= len(files[SPARK].splitlines())  # at a `<<:` line of the bomb


def test_a_chained_merge_key_bomb_is_refused_in_a_second_with_a_finding(tmp_path: Path) -> None:
    _assert_refused_quickly(tmp_path, _chained_merge_bomb())


def test_a_wide_mapping_merged_hundreds_of_times_is_refused_in_a_second(tmp_path: Path) -> None:
    _assert_refused_quickly(tmp_path, _wide_merge_bomb())


def test_merges_people_write_still_merge_as_yaml_says(tmp_path: Path) -> None:
    """A touchpoint template merged into two touchpoints: its own keys win, then the first merged mapping."""
    stage = CLEAN_MAP[SPARK].replace("touchpoints:\n", "meta:\n  company: &company {initiator: company}\n"
                                     "  customer: &customer {initiator: customer, intent: low}\n"
                                     "touchpoints:\n").replace(
        "    initiator: company\n    intent: high\n", "    <<: [*company, *customer]\n    intent: high\n")
    folder = write_map(tmp_path / "map", {**CLEAN_MAP, SPARK: stage})
    result = run_cli("build", "map", "-o", "site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    touchpoint = json.loads((tmp_path / "site/map.json").read_text())["stages"][0]["touchpoints"][0]
    assert (touchpoint["initiator"], touchpoint["intent"]) == ("company", "high")
    assert folder.is_dir()


def test_a_merge_of_what_is_no_mapping_or_of_itself_is_a_finding_at_its_line(tmp_path: Path) -> None:
    files = _with_meta(["  items: &items [1, 2]", "  listed: {<<: *items}", "  itself: &itself {<<: *itself}"])
    write_map(tmp_path / "map", files)
    result = run_cli("check", "map", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stdout + result.stderr
    lines = {line_of(files[SPARK], "listed:"): "`<<:` merges a mapping into this one",
             line_of(files[SPARK], "itself:"): "`<<:` merges the mapping that contains it"}
    for line, says in lines.items():
        assert any(f"map/{SPARK}:{line}:" in each and says in each for each in result.stdout.splitlines()), \
            result.stdout
