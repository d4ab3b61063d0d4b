"""Whatever a file holds, check reports findings and build --keep-going renders: never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.core.check import check_map

from ..conftest import CLEAN_MAP, run_cli, write_map

ODD_VALUES = ["", "[]", "- a\n- b\n", "just text\n", "42\n", "id: [1, 2]\nname: {a: b}\n", "\t- tab\n",
              "id: x\ntouchpoints: {a: b}\nmetrics: [1]\n", "id: 123\nname: 456\njob: 789\n", "~\n",
              "stages: yes\ntitle: [x]\nreview: 2026-13-45\n", "next: trial\n" * 2, "a: &x [*x]\n",
              "---\n- a\n---\n- b\n"]
FILES = ["journey.yaml", "owners.yaml", "personas.yaml", "stages/spark.yaml", "experiments/faster-reply.yaml"]


@pytest.mark.parametrize("file", FILES)
@pytest.mark.parametrize("text", ODD_VALUES, ids=range(len(ODD_VALUES)))
def test_odd_content_gives_findings_not_crashes(tmp_path: Path, file: str, text: str) -> None:
    folder = write_map(tmp_path / "map", {**CLEAN_MAP, file: text})
    findings = check_map(folder).findings
    assert any(f.severity.value == "error" for f in findings)
    assert all(f.message and f.location.file for f in findings)


@pytest.mark.parametrize("text", ["", "---\n", "---\n- a\n---\nbody", "---\ntitle: [\n---\n", "no front matter"])
def test_odd_front_matter_gives_findings(tmp_path: Path, text: str) -> None:
    folder = write_map(tmp_path / "map", {**CLEAN_MAP, "briefs/spark-brief.md": text})
    assert any(f.location.file == "briefs/spark-brief.md" for f in check_map(folder).findings)


def test_impossible_date_is_a_schema_finding(tmp_path: Path) -> None:
    journey = CLEAN_MAP["journey.yaml"].replace("last_reviewed: 2026-11-01", "last_reviewed: 2026-13-45")
    findings = check_map(write_map(tmp_path / "map", {**CLEAN_MAP, "journey.yaml": journey})).findings
    assert [(f.rule, f.location.line) for f in findings if f.severity.value == "error"] == [("schema", 5)]


def test_missing_owners_file_is_one_finding_about_the_file(tmp_path: Path) -> None:
    files = {k: v for k, v in CLEAN_MAP.items() if k != "owners.yaml"}
    findings = check_map(write_map(tmp_path / "map", files)).findings
    assert any(f.location.file == "owners.yaml" and f.rule == "schema" for f in findings)


@pytest.mark.parametrize("file", FILES)
def test_keep_going_renders_a_map_with_broken_files(tmp_path: Path, file: str) -> None:
    folder = write_map(tmp_path / "map", {**CLEAN_MAP, file: "id: [1, 2]\nname: {a: b}\n"})
    result = run_cli("build", str(folder), "--output", str(tmp_path / "site"), "--keep-going")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "site/gaps.html").is_file()


def test_a_journey_without_stages_is_reported_and_still_renders(tmp_path: Path) -> None:
    from .. import sitecheck

    journey = CLEAN_MAP["journey.yaml"].replace("stages: [spark, adopt]", "stages: []")
    folder = write_map(tmp_path / "map", {**CLEAN_MAP, "journey.yaml": journey})
    schema = [f for f in check_map(folder).findings if f.rule == "schema"]
    assert [(f.location.line, "is empty" in f.message) for f in schema] == [(10, True)]
    result = run_cli("build", str(folder), "--output", str(tmp_path / "site"), "--keep-going")
    assert result.returncode == 1 and "no stages yet" in (tmp_path / "site/index.html").read_text()
    assert sitecheck.problems(tmp_path / "site") == []
