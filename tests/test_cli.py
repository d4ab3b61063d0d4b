"""The command as CI runs it: a real process, every format and exit code."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from journeymap.core.rules import RULES

from .conftest import CLEAN_MAP, EXAMPLE, ROOT, run_cli, write_map

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
    # describes the site's export, not a map file: tests/test_map_json.py holds it to the builds)
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
                             "tests/test_browser.py::test_map_page_from_file_url_shows_its_diagram_without_errors"],
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
