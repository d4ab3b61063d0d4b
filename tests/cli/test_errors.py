"""A problem the person can fix, raised anywhere, leaves the real command as `journeymap: <line>` and its exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ..conftest import CLEAN_MAP, run_cli, write_map

#: a problem raised from deep in the core, with its own code and two lines, one holding a terminal escape
RAISES_FROM_THE_CORE = """\
import sys
from journeymap.core import check
from journeymap.util.errors import JourneymapError

class Odd(JourneymapError):
    exit_code = 3

    def lines(self):
        return ["the first part", "the second \\x1b[2K part"]

def check_map(*args, **kwargs):
    raise Odd("not shown: lines() is")

check.check_map = check_map
sys.argv = ["journeymap", *sys.argv[1:]]
from journeymap.cli import run
run()
"""


def _journeymap_raising(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", RAISES_FROM_THE_CORE, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_any_command_says_a_problem_line_by_line_and_exits_its_code(tmp_path: Path) -> None:
    write_map(tmp_path / "map", CLEAN_MAP)
    for command in (["check", "map"], ["build", "map", "-o", "site"], ["export", "map", "--format", "csv"]):
        done = _journeymap_raising(*command, cwd=tmp_path)
        assert (done.returncode, done.stdout) == (3, ""), (command, done.stderr)
        assert done.stderr == "journeymap: the first part\njourneymap: the second \\x1b[2K part\n", command


def test_a_map_that_is_not_there_exits_2_without_a_traceback(tmp_path: Path) -> None:
    done = run_cli("check", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("journeymap: ") and "Traceback" not in done.stderr


def test_a_bad_csv_exits_1_and_ends_saying_nothing_was_written(tmp_path: Path) -> None:
    write_map(tmp_path / "map", CLEAN_MAP)
    (tmp_path / "figures.csv").write_text("stage,metric,period,value\nnowhere,volume,2026-Q4,5\n", encoding="utf-8")
    done = run_cli("metrics", "import", "figures.csv", "map", cwd=tmp_path)
    assert done.returncode == 1 and done.stdout == "" and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[-1] == "journeymap: nothing was written" and lines[0].startswith("journeymap: figures.csv:2: ")


def test_without_dot_build_says_how_to_install_it(tmp_path: Path) -> None:
    write_map(tmp_path / "map", CLEAN_MAP)
    no_dot = tmp_path / "bin"
    no_dot.mkdir()
    done = run_cli("build", "map", "-o", "site", "--no-cache", cwd=tmp_path, env={**os.environ, "PATH": str(no_dot)})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == (
        "journeymap: Graphviz's `dot` is not installed; install it with `sudo apt-get install graphviz`, "
        "`brew install graphviz` or `winget install Graphviz.Graphviz`")
    assert not (tmp_path / "site").exists()  # untouched on failure
