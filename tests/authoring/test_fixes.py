"""`check --fix`'s loop: fix, check again, fix what the first fixes revealed, until nothing is left to fix."""

from __future__ import annotations

from pathlib import Path

from journeymap.authoring.fixes import fix_until_settled
from journeymap.core.check import Checked, check_map

from ..conftest import CLEAN_MAP, edited, write_map

SPARK = "stages/spark.yaml"


def _rechecking(root: Path, rounds: list[Checked]) -> Checked:
    checked = check_map(root, use_cache=False)
    rounds.append(checked)
    return checked


def test_a_fix_that_reveals_another_slip_is_followed_to_a_map_with_nothing_left_to_fix(tmp_path: Path) -> None:
    # the tab hides the file from the schema: only once it is fixed does the misspelt key show, and get fixed
    root = write_map(tmp_path / "map", edited({SPARK: ("    owner: mkt\n", "\townr: mkt\n")}))
    rounds: list[Checked] = []
    final, made = fix_until_settled(check_map(root, use_cache=False), lambda: _rechecking(root, rounds))
    assert [applied.rule for applied in made] == ["invalid-yaml", "schema"], [str(a) for a in made]
    assert len(rounds) == 2 and final is rounds[-1]
    assert (root / SPARK).read_text(encoding="utf-8") == CLEAN_MAP[SPARK]
    assert not [finding for finding in final.findings if finding.fix is not None]
    assert final.findings == check_map(root, use_cache=False).findings


def test_a_map_with_nothing_to_fix_is_not_checked_again_nor_touched(tmp_path: Path) -> None:
    root = write_map(tmp_path / "map", CLEAN_MAP)
    checked = check_map(root, use_cache=False)
    rounds: list[Checked] = []
    final, made = fix_until_settled(checked, lambda: _rechecking(root, rounds))
    assert (final, made, rounds) == (checked, [], [])
    assert {name: (root / name).read_text(encoding="utf-8") for name in CLEAN_MAP} == CLEAN_MAP
