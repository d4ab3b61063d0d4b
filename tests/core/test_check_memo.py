"""check_map's memo of modelled journeys (ModelMemo, which `serve` owns) and its keys (PartKey)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from journeymap.core.check import FileKey, ModelMemo, PartKey, check_map
from journeymap.core.findings import Location
from journeymap.core.load import Problem

from ..conftest import CLEAN_MAP, write_map

PORTFOLIO = Path(__file__).parent.parent / "fixtures" / "portfolio"


def key(content: str = "c0ffee", refusal: Problem | None = None, unreadable: tuple[str, ...] = ()) -> PartKey:
    return PartKey("code", "2026-12-03", "/maps/one", (FileKey("stages/spark.yaml", "stage", content, refusal),),
                   (), unreadable)


def test_a_key_changes_with_each_input_it_holds() -> None:
    refused = Problem("invalid-yaml", Location("stages/spark.yaml", 1, 1), "cannot read the file")
    digests = {key().digest(), key(content="decaf").digest(), key(refusal=refused).digest(),
               key(unreadable=("stages/spark.yaml",)).digest()}
    assert len(digests) == 4
    assert key().digest() == key().digest()


def test_a_key_is_the_same_in_another_process() -> None:
    """The cache is read by the next run: a key must not depend on this process's hash seed."""
    program = ("from journeymap.core.check import FileKey, PartKey\n"
               "from journeymap.core.findings import Location\n"
               "from journeymap.core.load import Problem\n"
               "p = Problem('stray-file', Location('notes.txt'), 'not read')\n"
               "print(PartKey('code', 'day', '/r', (FileKey('a.yaml', 'stage', 'h', None),), (p,), ('b',)).digest())\n")
    runs = {subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}).stdout for seed in ("1", "2")}
    problem = Problem("stray-file", Location("notes.txt"), "not read")
    here = PartKey("code", "day", "/r", (FileKey("a.yaml", "stage", "h", None),), (problem,), ("b",)).digest()
    assert runs == {here + "\n"}


def test_a_memo_given_to_the_next_check_keeps_the_journeys_that_did_not_change(tmp_path: Path) -> None:
    portfolio = shutil.copytree(PORTFOLIO, tmp_path / "portfolio")
    memo = ModelMemo()
    first = {j.prefix: j for j in check_map(portfolio, parallel=False, models=memo).journeys}
    buy = portfolio / "new-logo/stages/buy.yaml"
    buy.write_text(buy.read_text().replace("name: Contract", "name: Signed contract"))
    second = {j.prefix: j for j in check_map(portfolio, parallel=False, models=memo).journeys}
    assert second["expansion/"] is first["expansion/"]
    assert second["new-logo/"] is not first["new-logo/"]


def test_each_memo_is_its_own(tmp_path: Path) -> None:
    """Two servers in one process (or a server and a one-shot check) do not share journeys."""
    root = write_map(tmp_path / "map", CLEAN_MAP)
    mine, theirs = ModelMemo(), ModelMemo()
    kept = check_map(root, models=mine).journey
    assert check_map(root, models=theirs).journey is not kept
    assert check_map(root, models=mine).journey is kept
    assert check_map(root, use_cache=False, models=mine).journey is not kept  # --no-cache keeps nothing
