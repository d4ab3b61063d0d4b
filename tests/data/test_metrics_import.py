"""`journeymap metrics import`: a spreadsheet's export refreshes the numbers and touches nothing else."""

from __future__ import annotations

import codecs
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from ..conftest import CLEAN_MAP, run_cli
from ..gitrepo import commit_all, committed_map, git

COMMENTED = {**CLEAN_MAP,
             "stages/spark.yaml": "# Spark: how buyers first notice us\n" + CLEAN_MAP["stages/spark.yaml"].replace(
                 "    value: 1000\n", "    value: 1000   # from HubSpot, monthly\n    history:\n"
                 "      2026-Q2: 900   # a slow summer\n      2026-Q3: 950\n"),
             "stages/adopt.yaml": CLEAN_MAP["stages/adopt.yaml"].replace(
                 "  health:\n    name: Weekly active share\n    value: 0.5\n    unit: ratio\n",
                 "  health: {name: Weekly active share, value: 0.5, unit: ratio}   # product analytics\n")}
SPREADSHEET = ("\ufeffstage;metric;period;value\r\n"
               "spark;volume;2026-Q4;\"1,200\"\r\n"
               "adopt;health;2026-Q4;55%\r\n"
               "adopt;volume;2026-Q4;120\r\n")


def _repo(tmp_path: Path) -> Path:
    return committed_map(tmp_path / "repo", COMMENTED)


def test_a_spreadsheet_export_changes_only_value_and_history_lines(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (tmp_path / "figures.csv").write_bytes(SPREADSHEET.encode("utf-8"))
    result = run_cli("metrics", "import", str(tmp_path / "figures.csv"), "journey", cwd=repo)
    assert result.returncode == 0, result.stderr
    changed = [line for line in git(repo, "diff", "-U0").splitlines()
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert sorted(changed) == sorted([
        "-    value: 1000   # from HubSpot, monthly", "+    value: 1200   # from HubSpot, monthly",
        "+      2026-Q4: 1200",
        "-  health: {name: Weekly active share, value: 0.5, unit: ratio}   # product analytics",
        "+  health: {name: Weekly active share, value: 0.55, unit: ratio, history: {2026-Q4: 0.55}}   "
        "# product analytics",
        "-    value: 100", "+    value: 120", "+    history: {2026-Q4: 120}"]), changed
    spark = yaml.safe_load((repo / "journey/stages/spark.yaml").read_text())["metrics"]["volume"]
    assert spark["history"] == {"2026-Q2": 900, "2026-Q3": 950, "2026-Q4": 1200} and spark["value"] == 1200
    # spark 1000 → 1200 and adopt 100 → 120: the conversion stays 10.0%, the weakest link where it was
    assert "conversion" not in result.stdout and "weakest link unchanged" in result.stdout
    assert run_cli("check", "journey", "--strict", cwd=repo).returncode == 0


def test_one_bad_row_writes_nothing_and_names_its_line(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    bad = SPREADSHEET + "adpot;volume;2026-Q4;130\r\nadopt;health;2026-Q4;-5%\r\nspark;volume;2026-Q4;lots\r\n" \
        "adopt;volume;2026-Q4;121\r\n"
    (tmp_path / "figures.csv").write_text(bad, encoding="utf-8")
    result = run_cli("metrics", "import", str(tmp_path / "figures.csv"), "journey", cwd=repo)
    assert result.returncode == 1 and "nothing was written" in result.stderr
    assert "figures.csv:5: stage `adpot` is not in the map: did you mean `adopt`?" in result.stderr
    assert "figures.csv:6:" in result.stderr and "negative" in result.stderr
    assert "figures.csv:7: `lots` is not a number" in result.stderr
    assert "figures.csv:8: the same figure as line 4" in result.stderr
    assert git(repo, "status", "--porcelain") == ""


@pytest.mark.parametrize("figure", ["inf", "-Infinity", "nan", "1e999", "NaN%"])
def test_a_figure_that_is_no_number_a_map_can_hold_is_refused(tmp_path: Path, figure: str) -> None:
    repo, result = _import(tmp_path, f"stage,metric,period,value\nadopt,volume,2026-Q4,{figure}\n".encode())
    assert result.returncode == 1 and "nothing was written" in result.stderr
    assert f"figures.csv:2: `{figure}` is no figure: write a finite number" in result.stderr
    assert git(repo, "status", "--porcelain") == ""


def test_dry_run_prints_the_changes_and_writes_nothing(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (tmp_path / "figures.csv").write_text("stage,metric,period,value\nadopt,volume,2026-Q4,150\n")
    result = run_cli("metrics", "import", str(tmp_path / "figures.csv"), "journey", "--dry-run", cwd=repo)
    assert result.returncode == 0 and "adopt volume: 100 → 150" in result.stdout
    assert "conversion Spark → Adopt: 10.0% → 15.0%" in result.stdout  # 150 of spark's 1000
    assert git(repo, "status", "--porcelain") == ""


def _import(tmp_path: Path, data: bytes) -> tuple[Path, subprocess.CompletedProcess]:
    """The map's repository and the real command's result for a CSV of exactly these bytes."""
    repo = _repo(tmp_path)
    (tmp_path / "figures.csv").write_bytes(data)
    return repo, run_cli("metrics", "import", str(tmp_path / "figures.csv"), "journey", cwd=repo)


def _adopt_volume(repo: Path) -> dict:
    return yaml.safe_load((repo / "journey/stages/adopt.yaml").read_text(encoding="utf-8"))["metrics"]["volume"]


ROWS = "stage\tmetric\tperiod\tvalue\r\nadopt\tvolume\t2026-Q4\t150\r\n"


@pytest.mark.parametrize("data", [
    "\ufeff" + ROWS.replace("\t", ","),  # Excel's "CSV UTF-8"
    (ROWS.encode("utf-16-le"), codecs.BOM_UTF16_LE),  # Excel's "Unicode Text": UTF-16 LE, a mark, tabs
    (ROWS.encode("utf-16-be"), codecs.BOM_UTF16_BE),
    (ROWS.encode("utf-32-le"), codecs.BOM_UTF32_LE),
], ids=["utf-8 mark", "utf-16-le tabs", "utf-16-be", "utf-32-le"])
def test_text_in_a_marked_unicode_encoding_is_imported(tmp_path: Path, data: str | tuple[bytes, bytes]) -> None:
    raw = data.encode("utf-8") if isinstance(data, str) else data[1] + data[0]
    repo, result = _import(tmp_path, raw)
    assert result.returncode == 0, result.stderr
    volume = _adopt_volume(repo)
    assert volume["value"] == 150 and volume["history"] == {"2026-Q4": 150}


@pytest.mark.parametrize(("raw", "where", "says"), [
    (b"stage,metric,period,value\r\nadopt,volume,2026-Q4 \xe9t\xe9,150\r\n", "2:22", "byte 0xe9 at offset 48"),
    (codecs.BOM_UTF16_LE + "stage\tmetric\nadopt".encode("utf-16-le") + b"\x00", "2:6", "truncated data"),
], ids=["cp1252", "utf-16 cut short"])
def test_bytes_that_are_not_text_are_named_by_line_and_column(tmp_path: Path, raw: bytes, where: str,
                                                              says: str) -> None:
    repo, result = _import(tmp_path, raw)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"figures.csv:{where}: cannot read the file (" in result.stderr and says in result.stderr
    assert 'save it as UTF-8 text; in Excel, Save As "CSV UTF-8 (Comma delimited)"' in result.stderr
    assert "nothing was written" in result.stderr and git(repo, "status", "--porcelain") == ""


def test_header_names_are_matched_whatever_their_case_and_spaces(tmp_path: Path) -> None:
    repo, result = _import(tmp_path, b" Stage , METRIC,Period ,Value\r\nadopt,volume,2026-Q4,150\r\n")
    assert result.returncode == 0, result.stderr
    volume = _adopt_volume(repo)
    assert volume["value"] == 150 and volume["history"] == {"2026-Q4": 150}


def test_a_file_without_a_header_names_the_columns_it_needs(tmp_path: Path) -> None:
    repo, result = _import(tmp_path, b"")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "figures.csv:1: the header lacks stage, metric, period, value" in result.stderr


def test_a_column_named_twice_in_different_case_is_refused(tmp_path: Path) -> None:
    repo, result = _import(tmp_path, b"stage,metric,period,value,Value\r\nadopt,volume,2026-Q4,150,160\r\n")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "figures.csv:1: the header names value twice (letter case aside)" in result.stderr
    assert git(repo, "status", "--porcelain") == ""


def test_a_value_written_for_the_first_time_goes_beside_the_metric_name(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    stage = repo / "journey/stages/adopt.yaml"
    text = stage.read_text()
    block = text[text.index("  volume:\n"):text.index("  health:")]
    without_value = "".join(line for line in block.splitlines(keepends=True) if "value:" not in line)
    stage.write_text(text.replace(block, without_value))
    commit_all(repo, "a metric with no value yet")
    (tmp_path / "figures.csv").write_text("stage,metric,period,value\nadopt,volume,2026-Q4,150\n")
    assert run_cli("metrics", "import", str(tmp_path / "figures.csv"), "journey", cwd=repo).returncode == 0
    lines = stage.read_text().splitlines()
    name = next(i for i, line in enumerate(lines) if line.startswith("    name:") and i > lines.index("  volume:"))
    assert lines[name + 1] == "    value: 150"


def test_a_portfolio_needs_a_journey_column_and_says_so_once(tmp_path: Path) -> None:
    portfolio = shutil.copytree(Path(__file__).parents[1] / "fixtures/portfolio", tmp_path / "maps")
    (tmp_path / "figures.csv").write_text("stage,metric,period,value\ndiscover,volume,2026-Q4,10\n"
                                          "buy,volume,2026-Q4,5\n")
    result = run_cli("metrics", "import", str(tmp_path / "figures.csv"), str(portfolio))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    problems = [line for line in result.stderr.splitlines() if "figures.csv:" in line]
    assert problems == ["journeymap: figures.csv:1: the map is a portfolio, so each row names its journey: add a "
                        "`journey` column (one of expansion, new-logo)"]
