"""The command as CI runs it: a real process, every format and exit code."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from journeymap.core.rules import RULES

from ..conftest import EXAMPLE, ROOT, run_cli

FINDINGS_SHAPE = {  # FORMAT.md, "Machine-readable findings"
    "type": "object", "required": ["findings", "summary"], "additionalProperties": False,
    "properties": {
        "findings": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["rule", "severity", "file", "line", "column", "message"],
            "properties": {
                "rule": {"enum": list(RULES)}, "severity": {"enum": ["error", "warning", "info"]},
                "file": {"type": "string", "pattern": r"^[^/\\][^\\]*$"},
                "line": {"type": ["integer", "null"], "minimum": 1},
                "column": {"type": ["integer", "null"], "minimum": 1},
                "message": {"type": "string", "minLength": 10}}}},
        "summary": {"type": "object", "additionalProperties": False, "required": ["errors", "warnings", "info"],
                    "properties": {k: {"type": "integer", "minimum": 0} for k in ("errors", "warnings", "info")}},
    },
}


def broken(clean_map: Path) -> Path:
    stage = clean_map / "stages/adopt.yaml"
    stage.write_text(stage.read_text().replace("    owner: cs\n", ""))
    return clean_map


def test_example_map_checks_without_errors() -> None:
    result = run_cli("check", str(EXAMPLE), "--format", "json")
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["summary"]["errors"] == 0
    # the README explains each deliberate warning
    assert sorted(f["rule"] for f in report["findings"] if f["severity"] == "warning") == [
        "handoff-gap", "high-intent-no-sla"]


def test_clean_map_passes_strict(clean_map: Path) -> None:
    result = run_cli("check", str(clean_map), "--strict")
    assert result.returncode == 0, result.stdout
    assert "0 errors, 0 warnings, 2 info" in result.stdout


def test_warnings_fail_only_under_strict(clean_map: Path) -> None:
    (clean_map / "briefs/adopt-brief.md").unlink()
    assert run_cli("check", str(clean_map)).returncode == 0
    assert run_cli("check", str(clean_map), "--strict").returncode == 1


def test_text_format_names_path_line_column_severity_and_rule(clean_map: Path) -> None:
    result = run_cli("check", "map", cwd=broken(clean_map).parent)
    assert result.returncode == 1
    assert re.search(r"^  map/stages/adopt\.yaml:\d+:\d+: error \[unowned-touchpoint\] touchpoint `welcome` has no "
                     r"owner: add `owner:`", result.stdout, re.M), result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith("1 error, 1 warning, 2 info in ")
    assert "\x1b[" not in result.stdout  # not a terminal: no colour


def test_json_format_has_exactly_the_documented_shape(clean_map: Path) -> None:
    result = run_cli("check", str(broken(clean_map)), "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    jsonschema.validate(report, FINDINGS_SHAPE)
    assert report["summary"] == {"errors": 1, "warnings": 1, "info": 2}  # cs owns nothing now
    unowned = [f for f in report["findings"] if f["rule"] == "unowned-touchpoint"]
    assert [(f["file"], f["severity"]) for f in unowned] == [("stages/adopt.yaml", "error")]


def test_github_format_annotates_paths_from_the_repository_root(clean_map: Path) -> None:
    repo = clean_map.parent
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    result = run_cli("check", "map", "--format", "github", cwd=broken(clean_map).parent)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(re.match(r"^::error file=map/stages/adopt\.yaml,line=\d+,col=\d+,title=unowned-touchpoint::"
                        r"touchpoint `welcome` has no owner", line) for line in lines), lines
    assert any(line.startswith("::notice file=map/stages/adopt.yaml") for line in lines)
    # run from elsewhere, paths stay relative to the repository root
    elsewhere = run_cli("check", str(clean_map), "--format", "github", cwd=ROOT)
    assert "file=map/stages/adopt.yaml" in elsewhere.stdout


def test_missing_folder_is_exit_2_with_one_line(tmp_path: Path) -> None:
    result = run_cli("check", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "no such folder" in result.stderr


def test_folder_without_journey_yaml_is_exit_2(tmp_path: Path) -> None:
    result = run_cli("check", str(tmp_path))
    assert result.returncode == 2 and "no journey.yaml" in result.stderr and "Traceback" not in result.stderr


def test_bad_option_is_exit_2(clean_map: Path) -> None:
    assert run_cli("check", str(clean_map), "--format", "xml").returncode == 2


def test_rules_lists_every_rule_with_its_severity() -> None:
    result = run_cli("rules")
    assert result.returncode == 0
    for rule in RULES.values():
        assert re.search(rf"^{re.escape(rule.id)}\s+{rule.severity.value}\s+\S", result.stdout, re.M), rule.id


def test_rules_id_prints_the_rule_doc() -> None:
    result = run_cli("rules", "handoff-gap")
    assert result.returncode == 0 and "default severity: warning" in result.stdout
    assert "Fails:" in result.stdout and "Passes:" in result.stdout
    unknown = run_cli("rules", "handof-gap")
    assert unknown.returncode == 2 and "did you mean `handoff-gap`?" in unknown.stderr


def test_schema_command_prints_json_schema_and_committed_schemas_are_current(tmp_path: Path) -> None:
    result = run_cli("schema", "stage")
    schema = json.loads(result.stdout)
    assert schema["properties"]["touchpoints"]["items"]["properties"]["owner"]
    assert run_cli("schema", "--write", str(tmp_path)).returncode == 0
    # one schema per file kind the format defines, each as committed in schemas/ (beside map.json's, which
    # describes the site's export, not a map file: tests/data/test_map_json.py holds it to the builds)
    kinds = ["brief", "evidence", "experiment", "journey", "owners", "personas", "stage"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{kind}.schema.json" for kind in kinds]
    committed = sorted(p.name for p in (ROOT / "schemas").glob("*.schema.json") if p.name != "map.schema.json")
    assert committed == [f"{k}.schema.json" for k in kinds]
    for written in tmp_path.glob("*.schema.json"):
        assert written.read_text() == (ROOT / "schemas" / written.name).read_text(), (
            f"schemas/{written.name} is stale: run `journeymap schema --write schemas`")


def test_example_files_point_editors_at_the_schema() -> None:
    for path in [EXAMPLE / "journey.yaml", *EXAMPLE.glob("stages/*.yaml")]:
        first = path.read_text().splitlines()[0]
        match = re.match(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match and (path.parent / match.group(1)).resolve().is_file(), path


def _in_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run the command with stdout on a pseudo-terminal, as a person at a shell would."""
    import os
    import pty
    import sys

    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "journeymap", *args], stdout=follower, stderr=follower,
                               env={**os.environ, **env})
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    os.close(leader)
    return output.decode()


def test_colour_only_on_a_terminal_and_never_with_no_color(clean_map: Path) -> None:
    import os

    args = ["check", str(broken(clean_map))]
    os.environ.pop("NO_COLOR", None)
    assert "\x1b[" in _in_a_terminal(args, {})
    assert "\x1b[" not in _in_a_terminal(args, {"NO_COLOR": "1"})


def test_github_annotations_escape_what_would_break_the_command() -> None:
    from journeymap.core.findings import Finding, Location, Severity
    from journeymap.review.report import as_github

    finding = Finding("schema", Severity.WARNING, Location("stages/a,b:c.yaml", 3, 1), "100% sure\nsecond line")
    line = as_github([finding], Path("/nonexistent/map"))
    assert line == ("::warning file=map/stages/a%2Cb%3Ac.yaml,line=3,col=1,title=schema::100%25 sure%0Asecond line")


def test_findings_about_a_whole_file_have_a_null_line_in_json(clean_map: Path) -> None:
    (clean_map / "owners.yaml").unlink()
    report = json.loads(run_cli("check", str(clean_map), "--format", "json").stdout)
    jsonschema.validate(report, FINDINGS_SHAPE)
    assert {"rule": "schema", "file": "owners.yaml", "line": None}.items() <= next(
        f for f in report["findings"] if f["file"] == "owners.yaml").items()


@pytest.mark.parametrize("required", [{"CI": "true"}, {"JOURNEYMAP_REQUIRE_BROWSER": "1"}, {}])
def test_browser_tests_fail_rather_than_skip_where_chromium_is_required(required: dict, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "JOURNEYMAP_REQUIRE_BROWSER")}
    env.update(required, JOURNEYMAP_CHROMIUM=str(tmp_path / "no-chromium"))
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "tests/e2e/test_browser.py::test_map_page_from_file_url_shows_its_diagram_without_errors"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    if required:
        assert result.returncode == 1 and "1 error" in result.stdout, result.stdout  # the skip happens in set-up
        assert "browser test skipped where it must run" in result.stdout
    else:  # on a developer's machine without Chromium the browser tests skip, saying why
        assert result.returncode == 0 and "1 skipped" in result.stdout, result.stdout


@pytest.mark.parametrize(("exits", "code", "said"), [
    ("sys.exit(3)", 3, ""), ("sys.exit('cannot go on')", 1, "cannot go on"), ("sys.exit()", 0, ""),
    ("[print(n) for n in range(3000)] and None", 0, ""),  # what is still in the buffer at the end arrives too
])
def test_the_command_leaves_with_its_exit_code_and_all_its_output(exits: str, code: int, said: str) -> None:
    """`journeymap` skips the interpreter's teardown (cli.run): nothing it meant to say or return is lost."""
    program = f"import sys\nfrom journeymap import cli\ncli.main = lambda: {exits}\ncli.run()\nprint('not reached')\n"
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}  # as in a shell
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60, env=environment)
    assert (done.returncode, done.stderr.strip()) == (code, said)
    assert done.stdout == ("".join(f"{n}\n" for n in range(3000)) if "print" in exits else "")


def test_the_version_the_command_reports_is_the_one_released() -> None:
    """`--version`, SARIF's tool version and the cache key all read journeymap.__version__; a release sets
    pyproject.toml's (docs/releasing.md), and the scaffold's pre-commit rev names that release."""
    import tomllib

    released = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert run_cli("--version").stdout.strip().endswith(released)
    scaffold = (ROOT / "journeymap/authoring/scaffold/.pre-commit-config.yaml").read_text(encoding="utf-8")
    assert f"rev: v{released}" in scaffold
