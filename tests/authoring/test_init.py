"""`journeymap init`: a map repository that checks with no errors, and whose warnings are the to-do list."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from ..conftest import ROOT, run_cli


def test_init_writes_a_map_that_checks_without_errors(tmp_path: Path) -> None:
    result = run_cli("init", "ours", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    repo = tmp_path / "ours"
    for expected in ("README.md", ".gitignore", ".github/workflows/journey.yml", ".pre-commit-config.yaml",
                     "journey/journey.yaml",
                     "journey/owners.yaml", "journey/personas.yaml", "schemas/stage.schema.json"):
        assert (repo / expected).is_file(), expected
    check = run_cli("check", "--format", "json", cwd=repo)  # found as ./journey/journey.yaml
    report = json.loads(check.stdout)
    assert check.returncode == 0 and report["summary"]["errors"] == 0
    todo = {f["rule"] for f in report["findings"]}
    assert todo == {"no-evidence", "unbriefed-stage", "unmeasured-metric"}  # evidence, briefs, real numbers


def test_the_scaffold_has_seven_stages_in_phases_with_the_customers_progress(tmp_path: Path) -> None:
    run_cli("init", "ours", cwd=tmp_path)
    journey = yaml.safe_load((tmp_path / "ours/journey/journey.yaml").read_text())
    assert journey["stages"] == ["trigger", "research", "consideration", "evaluation", "purchase", "onboarding",
                                 "expansion"]
    phases = {p["id"] for p in journey["phases"]}
    for stage_id in journey["stages"]:
        path = tmp_path / f"ours/journey/stages/{stage_id}.yaml"
        text = path.read_text()
        assert text.startswith("# yaml-language-server: $schema=../../schemas/stage.schema.json")
        stage = yaml.safe_load(text)
        assert stage["phase"] in phases and stage["job"] and stage["milestone"].startswith(("They ", "Their "))
    for path in (tmp_path / "ours/journey").rglob("*.yaml"):
        first = path.read_text().splitlines()[0]
        schema = first.split("$schema=")[1]
        assert (path.parent / schema).resolve().is_file(), path  # every schema comment resolves


def test_init_refuses_a_folder_that_is_not_empty_and_never_overwrites(tmp_path: Path) -> None:
    repo = tmp_path / "ours"
    (repo / "journey").mkdir(parents=True)
    (repo / "README.md").write_text("ours, keep me\n")
    refused = run_cli("init", "ours", cwd=tmp_path)
    assert refused.returncode == 2 and "--force" in refused.stderr and not (repo / "journey/journey.yaml").exists()
    forced = run_cli("init", "ours", "--force", cwd=tmp_path)
    assert forced.returncode == 0 and (repo / "README.md").read_text() == "ours, keep me\n"
    assert "wrote ours/README.md" not in forced.stdout and (repo / "journey/journey.yaml").is_file()


def test_the_workflow_init_writes_is_valid_for_github(tmp_path: Path) -> None:
    run_cli("init", "ours", cwd=tmp_path)
    workflow = tmp_path / "ours/.github/workflows/journey.yml"
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                             str(workflow)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert workflow.read_text() == (ROOT / "journeymap/authoring/scaffold/.github/workflows/journey.yml").read_text()


def test_the_built_site_is_not_committed_by_accident(tmp_path: Path) -> None:
    run_cli("init", "ours", cwd=tmp_path)
    repo = tmp_path / "ours"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    assert run_cli("build", cwd=repo).returncode == 0 and run_cli("build", "-o", "site", cwd=repo).returncode == 0
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=repo, capture_output=True,
                            text=True, check=True).stdout
    assert (repo / "output/index.html").is_file() and "output/" not in status and "site/" not in status
    assert "journey/journey.yaml" in status  # what the team does commit
