"""Which map a command means (journeymap/core/locate.py), asked as a person at a shell asks: the folder here,
the map above it up to the top of the repository, a file of the map, or none (exit 2, saying how it is run)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import CLEAN_MAP, ROOT, run_cli, write_map


def test_default_source_is_journey_yaml_here_then_the_journey_folder(tmp_path: Path) -> None:
    write_map(tmp_path / "journey", {"journey.yaml": "title: x\n"})
    assert "is missing `review`" in run_cli("check", cwd=tmp_path).stdout
    assert "is missing `review`" in run_cli("check", cwd=tmp_path / "journey").stdout


@pytest.mark.parametrize("command", ["check", "build", "diff"])
def test_no_map_here_is_exit_2_never_the_bundled_example(tmp_path: Path, command: str) -> None:
    args = ["--base", "HEAD"] if command == "diff" else []
    result = run_cli(command, *args, cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert "no map here" in result.stderr and "journeymap init" in result.stderr and "--example" in result.stderr
    assert not (tmp_path / "output").exists()


def map_checked(result: subprocess.CompletedProcess, cwd: Path) -> Path:
    """The folder the summary line names (`... in 9 files of journey/`)."""
    return (cwd / result.stdout.rstrip().rsplit(" of ", 1)[1]).resolve()


@pytest.mark.parametrize("command, args", [("build", []), ("export", ["--format", "csv"]), ("serve", [])])
def test_no_map_here_names_the_command_that_was_run(tmp_path: Path, command: str, args: list[str]) -> None:
    result = run_cli(command, *args, cwd=tmp_path)
    assert result.returncode == 2 and f"`journeymap {command} path/to/map`" in result.stderr


def test_in_a_subfolder_of_the_map_the_map_above_is_found_up_to_the_top_of_the_repository(tmp_path: Path) -> None:
    repository = tmp_path / "repo"
    write_map(repository / "journey", CLEAN_MAP)
    stages = repository / "journey/stages"
    outside = run_cli("check", cwd=stages)  # no git repository: the folder one stands in, and no further
    assert outside.returncode == 2 and "no map here" in outside.stderr
    subprocess.run(["git", "init", "-q", str(repository)], check=True)
    inside = run_cli("check", cwd=stages)
    assert inside.returncode == 0, inside.stderr
    assert map_checked(inside, stages) == repository / "journey"
    assert inside.stdout.rstrip().endswith(" of ../") and inside.stdout.startswith("adopt.yaml\n")  # from here
    (repository / "docs").mkdir()
    assert map_checked(run_cli("check", cwd=repository / "docs"), repository / "docs") == repository / "journey"
    write_map(tmp_path / "journey", CLEAN_MAP)  # a map above the repository is never the one meant
    nested = tmp_path / "repo/other"
    nested.mkdir()
    shutil.rmtree(repository / "journey")
    assert "no map here" in run_cli("check", cwd=nested).stderr


def test_a_journey_of_a_portfolio_means_the_portfolio_from_inside_it_or_by_a_file(tmp_path: Path) -> None:
    portfolio = shutil.copytree(ROOT / "tests/fixtures/portfolio", tmp_path / "repo/maps")
    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    whole = run_cli("check", str(portfolio))
    for cwd, args in [(portfolio, []), (portfolio / "expansion/stages", []),
                      (tmp_path / "repo", ["maps/expansion/stages/grow.yaml"])]:
        result = run_cli("check", *args, cwd=cwd)
        assert map_checked(result, cwd) == portfolio, result.stdout  # with the owners the journeys share
        assert (result.returncode, "unknown-owner" in result.stdout) == (whole.returncode, False)


def test_metrics_import_with_no_map_says_how_it_is_run(tmp_path: Path) -> None:
    (tmp_path / "figures.csv").write_text("stage,metric,period,value\n")
    result = run_cli("metrics", "import", "figures.csv", cwd=tmp_path)
    assert result.returncode == 2 and "`journeymap metrics import CSV_FILE path/to/map`" in result.stderr


def test_build_from_a_subfolder_of_the_map_writes_the_site_where_it_would_from_the_map(tmp_path: Path) -> None:
    repository = tmp_path / "repo"
    write_map(repository / "journey", CLEAN_MAP)
    subprocess.run(["git", "init", "-q", str(repository)], check=True)
    assert run_cli("build", cwd=repository).returncode == 0
    assert run_cli("build", cwd=repository / "journey/stages").returncode == 0
    assert not (repository / "journey/stages/output").exists()  # never inside the map's stages
    assert (repository / "journey/output/index.html").is_file() and (repository / "output/index.html").is_file()
    shutil.rmtree(repository / "journey/output")
    assert run_cli("build", "spark.yaml", cwd=repository / "journey/stages").returncode == 0  # a file as SOURCE
    assert (repository / "journey/output/index.html").is_file()
    assert not (repository / "journey/stages/output").exists()


@pytest.mark.parametrize("given", ["journey/journey.yaml", "journey/stages/spark.yaml",
                                   "journey/briefs/spark-brief.md"])
def test_a_file_of_the_map_given_as_source_means_its_map(tmp_path: Path, given: str) -> None:
    write_map(tmp_path / "journey", CLEAN_MAP)
    result = run_cli("check", given, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert map_checked(result, tmp_path) == tmp_path / "journey"


def test_a_file_outside_any_map_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "notes.yaml").write_text("a: 1\n")
    result = run_cli("check", "notes.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "notes.yaml is not part of a map" in result.stderr


def test_the_example_is_one_flag_away(tmp_path: Path) -> None:
    result = run_cli("check", "--example", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("/journey/")  # the summary names the map it checked


def test_a_folder_holding_journey_means_that_map_not_a_portfolio(tmp_path: Path) -> None:
    write_map(tmp_path / "repo/journey", CLEAN_MAP)
    result = run_cli("check", "repo", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.rstrip().splitlines()[-1].endswith(" of repo/journey/")
