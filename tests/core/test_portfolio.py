"""FORMAT.md's portfolio: several journeys sharing one owners.yaml, checked and built together."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from journeymap.cli import main

from .. import sitecheck
from ..conftest import run_cli

PORTFOLIO = Path(__file__).parents[1] / "fixtures" / "portfolio"


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    copy = tmp_path / "journeys"
    shutil.copytree(PORTFOLIO, copy)
    return copy


def check(folder: Path, *options: str) -> Result:
    """The check command in this process (so mutation testing sees what it runs); the real process is
    exercised by the build and GitHub tests below."""
    return CliRunner().invoke(main, ["check", str(folder), *options])


def findings(folder: Path) -> list[dict]:
    result = check(folder, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["findings"]


def test_findings_are_relative_to_the_portfolio_folder() -> None:
    files = {f["file"] for f in findings(PORTFOLIO)}
    assert "new-logo/owners.yaml" in files and "owners.yaml" in files
    assert all(not f.startswith("/") for f in files)


def test_an_owner_defined_in_the_shared_and_a_journeys_own_file_is_a_duplicate_id() -> None:
    duplicates = [f for f in findings(PORTFOLIO) if f["rule"] == "duplicate-id"]
    assert [(f["file"], f["line"]) for f in duplicates] == [("new-logo/owners.yaml", 5)]
    assert "owners.yaml:5:5" in duplicates[0]["message"]


def test_idle_owner_looks_across_the_whole_portfolio_and_reports_once() -> None:
    idle = [f for f in findings(PORTFOLIO) if f["rule"] == "idle-owner"]
    # success owns a touchpoint only in expansion/, sdr only in new-logo/: neither is idle
    assert [(f["file"], "partners" in f["message"]) for f in idle] == [("owners.yaml", True)]


def test_ids_are_unique_within_a_journey_not_across_journeys() -> None:
    assert not [f for f in findings(PORTFOLIO) if f["rule"] == "duplicate-id" and "touchpoint" in f["message"]]


def test_a_journey_cannot_use_another_journeys_own_team(portfolio: Path) -> None:
    stage = portfolio / "expansion/stages/adopt.yaml"
    stage.write_text(stage.read_text().replace("owner: success", "owner: sdr"))
    unknown = [f for f in findings(portfolio) if f["rule"] == "unknown-owner"]
    assert [(f["file"], f["line"]) for f in unknown] == [("expansion/stages/adopt.yaml", 9)]


def test_a_broken_shared_owners_file_is_one_finding(portfolio: Path) -> None:
    (portfolio / "owners.yaml").write_text("owners: [\n")
    found = findings(portfolio)
    assert [f["rule"] for f in found if f["file"] == "owners.yaml"] == ["invalid-yaml"]
    assert not [f for f in found if f["rule"] == "unknown-owner"]


def test_github_annotations_name_the_journey_folder(portfolio: Path) -> None:
    result = run_cli("check", str(portfolio), "--format", "github", cwd=portfolio)
    assert "::error file=new-logo/owners.yaml,line=5" in result.stdout


def test_portfolio_builds_a_site_per_journey_under_an_index(portfolio: Path, tmp_path: Path) -> None:
    own = portfolio / "new-logo/owners.yaml"
    own.write_text(own.read_text().replace("  - id: sales   # defined in the shared owners.yaml too\n"
                                           "    name: Sales (new logos)\n    department: Sales\n", ""))
    result = run_cli("build", str(portfolio), "--output", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    assert sitecheck.problems(site) == []
    index = sitecheck.hrefs(site / "index.html")
    assert {"new-logo/index.html", "expansion/index.html"} <= index
    for journey in ("new-logo", "expansion"):
        assert "../../index.html" in sitecheck.hrefs(site / journey / "stages/index.html")
        assert (site / journey / "map.json").is_file()
    assert "Kickoff call" in (site / "expansion/owners/success.html").read_text()


def test_each_journeys_gaps_page_lists_its_own_findings_and_the_shared_files(tmp_path: Path) -> None:
    result = run_cli("build", str(PORTFOLIO), "--output", str(tmp_path / "site"), "--keep-going")
    assert result.returncode == 1, result.stderr  # new-logo/owners.yaml repeats the shared `sales`
    # the portfolio's own findings, from `journeymap check --format json`, split by the folder they are in
    every = {f"{f['file']}:{f['line']}:{f['column']}" for f in findings(PORTFOLIO)}
    shared = {where for where in every if "/" not in where.split(":")[0]}
    assert shared == {"owners.yaml:11:5"}  # `partners` owns nothing in either journey
    from journeymap.util.repository import repository_file

    def shown(where: str) -> str:
        """A place as the gaps page names it: from the repository root, with its line (as in the heading)."""
        file, line, _ = where.split(":")
        return f"{repository_file(PORTFOLIO, file)}:{line}"

    for journey in ("new-logo", "expansion"):
        page = (tmp_path / "site" / journey / "gaps.html").read_text()
        listed = set(re.findall(r'<p class="finding-where">(?:<a class="edit" href="[^"]*">Edit |<span class="file">)'
                                r'([^<]+)<', page))
        assert listed == {shown(w) for w in every if w.startswith(f"{journey}/")} | {shown(w) for w in shared}
    assert "expansion/stages/grow.yaml:6:30" in every and "new-logo/owners.yaml:5:5" in every


def test_the_shared_owners_file_is_validated_and_counted_once(portfolio: Path) -> None:
    shared = portfolio / "owners.yaml"
    shared.write_text(shared.read_text().replace("    department: Marketing\n",
                                                 "    departmnt: Marketing\n    name: Marketing again\n"))
    found = sorted((f["rule"], f["file"], f["line"]) for f in findings(portfolio) if f["rule"] != "weakest-link")
    # the typo (line 4), the owner it leaves without a department (line 2) and the repeated `name:`
    # (line 5), once each though both journeys share the file; `partners` (now line 12) still owns nothing
    assert [f for f in found if f[1] == "owners.yaml"] == [
        ("duplicate-key", "owners.yaml", 5), ("idle-owner", "owners.yaml", 12), ("schema", "owners.yaml", 2),
        ("schema", "owners.yaml", 4)]
    # 13 files in the two journeys' folders, plus the shared owners.yaml
    files = sum(1 for p in portfolio.rglob("*") if p.is_file())
    assert files == 14 and f" in {files} files of " in check(portfolio).stdout.rstrip().splitlines()[-1]


def test_findings_of_a_journey_are_its_own_and_the_shared_files(portfolio: Path) -> None:
    from journeymap.core.check import check_map

    checked = check_map(portfolio)
    assert checked.is_portfolio and [j.prefix for j in checked.journeys] == ["expansion/", "new-logo/"]
    for journey in checked.journeys:
        files = {f.location.file for f in checked.findings_of(journey)}
        assert "owners.yaml" in files
        assert all(f.startswith(journey.prefix) or f == "owners.yaml" for f in files), files
        own = [f for f in checked.findings if f.location.file.startswith(journey.prefix)]  # under its folder
        assert own and all(f in checked.findings_of(journey) for f in own)
    first = {f.location.file for f in checked.findings_of(checked.journeys[0])}
    assert {f.location.file for f in checked.findings} > first


def test_a_lone_journeys_findings_are_all_its_own(tmp_path: Path) -> None:
    from journeymap.core.check import check_map

    from ..conftest import edited, write_map

    root = write_map(tmp_path / "map", edited({"stages/spark.yaml": ("    owner: mkt\n", "")}))
    checked = check_map(root)
    assert checked.findings and checked.findings_of(checked.journey) == checked.findings
