"""`journeymap diff`: a change reviewed in journey terms, read from a real git repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..conftest import CLEAN_MAP, line_of, run_cli, write_map
from ..gitrepo import commit_all, edit, git, init_repo

CHECK_IN = """\
  - id: check-in
    name: Monthly check-in
    owner: cs
    initiator: company
    intent: low
"""
DEMO = """\
  - id: demo
    name: Live demo
    owner: cs
    initiator: customer
    intent: high
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A map repository whose first commit is the clean map (plus a touchpoint that keeps `cs` busy)."""
    repo = init_repo(tmp_path / "repo")
    write_map(repo / "journey", CLEAN_MAP)
    (repo / "journey/stages/adopt.yaml").write_text(CLEAN_MAP["stages/adopt.yaml"] + CHECK_IN)
    commit_all(repo, "the map")
    return repo


def _review_change(repo: Path) -> str:
    """The done-when change: an owner, a new high-intent touchpoint without SLA, a removed brief, a metric."""
    stages = repo / "journey/stages"
    edit(stages / "adopt.yaml", "    name: Welcome call\n    owner: cs\n", "    name: Welcome call\n    owner: mkt\n")
    with open(stages / "adopt.yaml", "a", encoding="utf-8") as file:
        file.write(DEMO)
    (repo / "journey/briefs/adopt-brief.md").unlink()
    edit(stages / "spark.yaml", "    value: 1000\n", "    value: 800\n")
    return commit_all(repo, "review me")


def _diff(repo: Path, *args: str) -> dict:
    result = run_cli("diff", "journey", "--format", "json", *args, cwd=repo)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _change(report: dict, kind: str, item: str, field: str | None = None) -> dict:
    found = [c for c in report["changes"] if c["kind"] == kind and c["id"] == item and c["field"] == field]
    assert len(found) == 1, (kind, item, field, report["changes"])
    return found[0]


def test_every_change_of_a_commit_is_named_with_old_and_new_value_in_json(repo: Path) -> None:
    _review_change(repo)
    report = _diff(repo, "--base", "HEAD~1", "--head", "HEAD")
    owner = _change(report, "touchpoint", "welcome", "owner")
    assert (owner["action"], owner["old"], owner["new"]) == ("changed", "cs", "mkt")
    added = _change(report, "touchpoint", "demo", "stage")
    assert (added["action"], added["new"]) == ("added", "adopt")
    removed = _change(report, "brief", "adopt-brief", "stage")
    assert (removed["action"], removed["old"], removed["where"]["revision"]) == ("removed", "adopt", "base")
    metric = _change(report, "metric", "spark.volume", "value")
    assert (metric["old"], metric["new"]) == (1000, 800)
    # adopt's volume is 100 on both sides, spark's goes from 1000 to 800
    [conversion] = report["conversions"]
    assert (conversion["from"], conversion["to"]) == ("spark", "adopt")
    assert conversion["old"] == pytest.approx(100 / 1000) and conversion["new"] == pytest.approx(100 / 800)
    assert len(report["changes"]) == 4


def test_new_findings_are_the_ones_the_change_opens(repo: Path) -> None:
    _review_change(repo)
    report = _diff(repo, "--base", "HEAD~1", "--head", "HEAD")
    introduced = {(f["rule"], f["subject"], f["severity"]) for f in report["findings"]["introduced"]}
    assert introduced == {("high-intent-no-sla", "touchpoint demo", "warning"),
                          ("unbriefed-stage", "stage adopt", "warning")}
    assert report["findings"]["fixed"] == []
    sla = next(f for f in report["findings"]["introduced"] if f["rule"] == "high-intent-no-sla")
    adopt = (repo / "journey/stages/adopt.yaml").read_text()
    demo_starts = line_of(adopt, "  - id: demo")
    intent = demo_starts + DEMO.splitlines().index("    intent: high")  # the rule points at `intent: high`
    assert (sla["file"], sla["line"]) == ("stages/adopt.yaml", intent)


def test_markdown_reads_as_a_pull_request_comment(repo: Path) -> None:
    head = _review_change(repo)
    result = run_cli("diff", "journey", "--base", "HEAD~1", "--head", "HEAD", "--format", "markdown",
                     "--repo-url", "https://github.com/acme/journey", cwd=repo)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    lines = text.splitlines()
    assert lines[0] == "<!-- journeymap-diff -->"
    assert ("**1 touchpoint changed, 1 added, 1 metric changed, 1 brief removed; 2 new warnings; "
            "weakest link unchanged**") in lines
    assert "| owner changed | `welcome` | `cs` → `mkt` |" in text
    assert "| value changed | `spark.volume` | `1000` → `800` |" in text
    assert "| conversion | `Spark → Adopt` | 10.0% → 12.5% |" in text
    assert "| removed | `adopt-brief` | was in stage `adopt` |" in text
    owner_line = line_of((repo / "journey/stages/adopt.yaml").read_text(), "owner: mkt")
    assert f"(https://github.com/acme/journey/blob/{head}/journey/stages/adopt.yaml#L{owner_line})" in text
    base = git(repo, "rev-parse", "HEAD~1")
    assert f"(https://github.com/acme/journey/blob/{base}/journey/briefs/adopt-brief.md#L1)" in text
    for row in (line for line in lines if line.startswith("| new warning")):
        assert row.count(" | ") == 4, row  # five cells: nothing in a message broke the table


def test_comments_key_order_and_layout_are_no_journey_change(repo: Path) -> None:
    spark = repo / "journey/stages/spark.yaml"
    edit(spark, "id: spark\nname: Spark\n", "# the first stage\nname: Spark   # shown on the map\n\nid: spark\n")
    edit(spark, "    name: Visitors\n    value: 1000\n", "    value: 1000\n    name: Visitors\n")
    commit_all(repo, "comments only")
    result = run_cli("diff", "journey", "--base", "HEAD~1", "--head", "HEAD", "--fail-on-new-errors", cwd=repo)
    assert result.returncode == 0
    assert result.stdout.splitlines()[1] == "no journey changes"
    assert _diff(repo, "--base", "HEAD~1", "--head", "HEAD")["journey_changes"] is False


def test_a_finding_that_only_moved_lines_is_neither_new_nor_fixed(repo: Path) -> None:
    adopt = repo / "journey/stages/adopt.yaml"
    adopt.write_text(adopt.read_text() + DEMO)  # a warning at the base already
    commit_all(repo, "demo without SLA")
    edit(adopt, "touchpoints:\n", "touchpoints:\n  # moved down by this comment\n\n")
    report = _diff(repo, "--base", "HEAD")
    assert report["findings"] == {"introduced": [], "fixed": []}


def test_fail_on_new_errors_fails_only_for_a_new_error(repo: Path) -> None:
    _review_change(repo)  # two new warnings, no new error
    assert run_cli("diff", "journey", "--base", "HEAD~1", "--fail-on-new-errors", cwd=repo).returncode == 0
    edit(repo / "journey/stages/adopt.yaml", "    owner: mkt\n", "    owner: markting\n")
    result = run_cli("diff", "journey", "--base", "HEAD~1", "--fail-on-new-errors", cwd=repo)
    assert result.returncode == 1
    assert "new error [unknown-owner]" in result.stdout
    assert run_cli("diff", "journey", "--base", "HEAD~1", cwd=repo).returncode == 0  # the flag decides


def test_working_tree_is_the_default_head_and_is_never_touched(repo: Path) -> None:
    edit(repo / "journey/stages/spark.yaml", "    value: 1000\n", "    value: 900\n")
    (repo / "journey/briefs/new.md").write_text("---\ntitle: New\nstage: spark\n---\nBody\n")
    git(repo, "add", "journey/briefs/new.md")
    status, index = git(repo, "status", "--porcelain"), (repo / ".git/index").read_bytes()
    report = _diff(repo, "--base", "HEAD")
    assert _change(report, "metric", "spark.volume", "value")["new"] == 900
    assert _change(report, "brief", "new", "stage")["action"] == "added"
    assert report["head"] == "working tree"
    assert git(repo, "status", "--porcelain") == status and (repo / ".git/index").read_bytes() == index


def test_stage_order_rename_moves_and_statuses_are_named(repo: Path) -> None:
    journey = repo / "journey"
    edit(journey / "journey.yaml", "stages: [spark, adopt]", "stages: [adopt, spark]")
    edit(journey / "stages/adopt.yaml", "name: Adopt\n", "name: Adoption\n")
    edit(journey / "experiments/faster-reply.yaml", "status: running", "status: won")
    edit(journey / "experiments/faster-reply.yaml", "stage: spark", "stage: adopt")
    edit(journey / "evidence/talk.md", "stages: [adopt]", "stages: [spark]")
    text = (journey / "stages/adopt.yaml").read_text()
    (journey / "stages/adopt.yaml").write_text(text.replace(CHECK_IN, ""))
    with open(journey / "stages/spark.yaml", "a", encoding="utf-8") as file:
        file.write(CHECK_IN)
    report = _diff(repo, "--base", "HEAD")
    order = _change(report, "stage", None, "stages")
    assert (order["action"], order["old"], order["new"]) == ("reordered", ["spark", "adopt"], ["adopt", "spark"])
    assert _change(report, "stage", "adopt", "name")["action"] == "renamed"
    status = _change(report, "experiment", "faster-reply", "status")
    assert (status["old"], status["new"]) == ("running", "won")
    assert _change(report, "experiment", "faster-reply", "stage")["action"] == "moved"
    assert _change(report, "evidence", "talk", "stages")["new"] == ["spark"]
    tp = _change(report, "touchpoint", "check-in", "stage")
    assert (tp["action"], tp["old"], tp["new"]) == ("moved", "adopt", "spark")


def test_renaming_the_stages_of_the_weakest_link_does_not_move_it(repo: Path) -> None:
    journey = repo / "journey"
    edit(journey / "stages/spark.yaml", "name: Spark\n", "name: Spark (renamed)\n")
    edit(journey / "stages/adopt.yaml", "name: Adopt\n", "name: Adoption\n")
    report = _diff(repo, "--base", "HEAD")
    assert report["weakest_link"][""] == {"old": "Spark → Adopt", "new": "Spark (renamed) → Adoption",
                                          "moved": False}
    assert report["slowest_stage"][""] == {"old": "Adopt", "new": "Adoption", "moved": False}
    text = run_cli("diff", "journey", "--base", "HEAD", cwd=repo).stdout
    assert "weakest link unchanged" in text.splitlines()[1] and "weakest link:" not in text
    edit(journey / "stages/adopt.yaml", "cycle_time_days: 20", "cycle_time_days: 2")  # now it moves
    assert _diff(repo, "--base", "HEAD")["slowest_stage"][""] == {"old": "Adopt", "new": "Spark (renamed)",
                                                                  "moved": True}


def test_a_map_missing_at_the_base_is_everything_added(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    (repo / "README.md").write_text("before the map\n")
    commit_all(repo, "no map yet")
    write_map(repo / "journey", CLEAN_MAP)
    report = _diff(repo, "--base", "HEAD")
    assert report["base_missing"] is True
    added = {(c["kind"], c["id"]) for c in report["changes"] if c["action"] == "added"}
    assert {("stage", "spark"), ("stage", "adopt"), ("touchpoint", "ad"), ("brief", "spark-brief")} <= added


@pytest.mark.parametrize("args, message", [
    (("--base", "no-such-branch"), "unknown revision `no-such-branch`"),
    (("--base", "HEAD", "--head", "deadbeef"), "unknown revision `deadbeef`"),
    (("--base", "HEAD", "--head", "HEAD~1"), "no map at journey in `HEAD~1`"),
])
def test_what_cannot_run_is_one_line_and_exit_2(tmp_path: Path, args: tuple, message: str) -> None:
    repo = init_repo(tmp_path / "repo")
    (repo / "README.md").write_text("before the map\n")
    commit_all(repo, "no map yet")
    write_map(repo / "journey", CLEAN_MAP)
    commit_all(repo, "the map")
    result = run_cli("diff", "journey", *args, cwd=repo)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_folder_outside_git_is_exit_2(clean_map: Path) -> None:
    result = run_cli("diff", str(clean_map), "--base", "HEAD", cwd=clean_map.parent)
    assert result.returncode == 2 and "not inside a git repository" in result.stderr


def test_portfolio_changes_are_named_per_journey(tmp_path: Path) -> None:
    import shutil

    repo = init_repo(tmp_path / "repo")
    shutil.copytree(Path(__file__).parents[1] / "fixtures/portfolio", repo / "journeys")
    commit_all(repo, "portfolio")
    buy = repo / "journeys/new-logo/stages/buy.yaml"
    name = next(line for line in buy.read_text().splitlines() if line.startswith("name:"))
    edit(buy, name + "\n", "name: Buying\n")
    report = json.loads(run_cli("diff", "journeys", "--base", "HEAD", "--format", "json", cwd=repo).stdout)
    [change] = report["changes"]
    assert (change["journey"], change["kind"], change["id"], change["new"]) == ("new-logo", "stage", "buy", "Buying")
    assert change["where"]["file"] == "new-logo/stages/buy.yaml"


def test_map_text_cannot_break_the_markdown_table(repo: Path) -> None:
    edit(repo / "journey/stages/adopt.yaml", "name: Welcome call\n", "name: \"Welcome | <script>x</script>\"\n")
    result = run_cli("diff", "journey", "--base", "HEAD", "--format", "markdown", cwd=repo)
    row = next(line for line in result.stdout.splitlines() if "`welcome`" in line)
    assert row.count(" | ") == 3, row  # the pipe is escaped: still four cells
    assert "`Welcome \\| <script>x</script>`" in row  # inside a code span: shown as text, never run
