"""`metrics import`'s preview: what the new figures do to the journey, worked out on a copy of the map."""

from __future__ import annotations

from pathlib import Path

from journeymap.core.check import check_map
from journeymap.data.metrics_import import plan, preview

from ..conftest import CLEAN_MAP, snapshot, write_map


def _previewed(tmp_path: Path, rows: str) -> tuple[Path, dict[str, bytes], object]:
    root = write_map(tmp_path / "map", CLEAN_MAP)
    before = snapshot(root)
    (tmp_path / "figures.csv").write_text("stage,metric,period,value\n" + rows, encoding="utf-8")
    checked = check_map(root, use_cache=False)
    _, texts = plan(checked, tmp_path / "figures.csv")
    return root, before, preview(checked, texts)


def test_a_new_volume_moves_the_conversion_and_leaves_the_map_on_disk_as_it_was(tmp_path: Path) -> None:
    root, before, seen = _previewed(tmp_path, "adopt,volume,2026-Q4,300\n")
    assert [(change.names, change.old, change.new) for change in seen.conversions] == [(("Spark", "Adopt"), 0.1, 0.3)]
    assert seen.weakest_link == "weakest link unchanged"  # two stages: one link, whatever its figure
    assert snapshot(root) == before


def test_the_weakest_link_line_is_the_sentence_the_diff_summary_ends_with(tmp_path: Path) -> None:
    from journeymap.review.diff import compare
    from journeymap.review.diff_report import summary, weakest_link_sentence

    root, _, seen = _previewed(tmp_path, "spark,volume,2026-Q4,5000\n")
    assert [change.new for change in seen.conversions] == [0.02] and seen.weakest_link == "weakest link unchanged"
    head = write_map(tmp_path / "head", {**CLEAN_MAP, "stages/spark.yaml": CLEAN_MAP["stages/spark.yaml"].replace(
        "value: 1000", "value: 5000")})
    result = compare(check_map(root, use_cache=False), check_map(head, use_cache=False))
    assert summary(result).endswith(f"; {weakest_link_sentence(result)}") and seen.weakest_link in summary(result)
