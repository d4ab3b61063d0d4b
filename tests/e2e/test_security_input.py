"""Issue 18, the map's own input: what a hostile branch can write in a map file must not hang the check,
break the build, put a number no JSON reader takes into map.json, or drive the reviewer's terminal.

Each case is the clean map with one hostile thing in it, checked (and built) by the real command in a
real process, as CI runs it on a pull request, under a time limit (and, for the bombs, a memory bound).
"""

from __future__ import annotations

import html
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from ..conftest import CLEAN_MAP, edited, line_of, run_cli, write_map

SPARK = "stages/spark.yaml"
#: memory a check of a small map may take: ten times what one needs, a sliver of what a bomb takes
MEMORY_BOUND = 1024 * 1024 * 1024
#: seconds a check of a small map may take on a loaded machine (it needs well under one)
TIME_BOUND = 10


def _bounded_check(folder: Path) -> tuple[subprocess.CompletedProcess, float]:
    """`journeymap check` under a memory bound and a time limit: a bomb fails the test, never the machine."""
    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BOUND, MEMORY_BOUND))

    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "journeymap", "check", folder.name], cwd=folder.parent,
                            capture_output=True, text=True, timeout=TIME_BOUND * 3, preexec_fn=limit_memory,
                            env=os.environ.copy())
    return result, time.monotonic() - started


def _with_meta(lines: list[str]) -> dict[str, str]:
    """The clean map whose spark stage carries `lines` under `meta:` (free-form: only the loader judges it)."""
    return {**CLEAN_MAP, SPARK: CLEAN_MAP[SPARK] + "meta:\n" + "\n".join(lines) + "\n"}


def _chained_merge_bomb(levels: int = 12, width: int = 9) -> list[str]:
    """Each level merges the one before `width` times: 3 keys become 3 × 9¹² if every merge is copied out."""
    lines = ["  a: &a {x0: 1, x1: 2, x2: 3}"]
    previous = "a"
    for level, name in enumerate("bcdefghijklm"[:levels]):
        lines.append(f"  {name}: &{name} {{<<: [{', '.join(['*' + previous] * width)}], k{level}: 1}}")
        previous = name
    return lines


def _wide_merge_bomb(keys: int = 20_000, merges: int = 500, lines: int = 5) -> list[str]:
    """One wide mapping merged hundreds of times on each of a few lines: PyYAML 6.0.4 still does every copy."""
    wide = ["  wide: &wide {" + ", ".join(f"k{i}: 1" for i in range(keys)) + "}"]
    return wide + [f"  copy{n}: {{<<: [{', '.join(['*wide'] * merges)}]}}" for n in range(lines)]


def _assert_refused_quickly(tmp_path: Path, lines: list[str]) -> None:
    files = _with_meta(lines)
    folder = write_map(tmp_path / "map", files)
    result, seconds = _bounded_check(folder)
    output = result.stdout + result.stderr
    assert seconds < TIME_BOUND and "Traceback" not in output and "MemoryError" not in output, output[-2000:]
    assert result.returncode == 1, output[-2000:]
    refused = [line for line in result.stdout.splitlines() if "[invalid-yaml]" in line]
    merge_line = next(n for n, line in enumerate(files[SPARK].splitlines(), 1) if "<<:" in line)
    assert len(refused) == 1 and f"map/{SPARK}:" in refused[0], output[-2000:]
    assert "merge keys (`<<:`)" in refused[0] and "write the values out" in refused[0]
    line = int(refused[0].split(f"map/{SPARK}:")[1].split(":")[0])
    assert merge_line <= line <= len(files[SPARK].splitlines())  # at a `<<:` line of the bomb


def test_a_chained_merge_key_bomb_is_refused_in_a_second_with_a_finding(tmp_path: Path) -> None:
    _assert_refused_quickly(tmp_path, _chained_merge_bomb())


def test_a_wide_mapping_merged_hundreds_of_times_is_refused_in_a_second(tmp_path: Path) -> None:
    _assert_refused_quickly(tmp_path, _wide_merge_bomb())


def test_merges_people_write_still_merge_as_yaml_says(tmp_path: Path) -> None:
    """A touchpoint template merged into two touchpoints: its own keys win, then the first merged mapping."""
    stage = CLEAN_MAP[SPARK].replace("touchpoints:\n", "meta:\n  company: &company {initiator: company}\n"
                                     "  customer: &customer {initiator: customer, intent: low}\n"
                                     "touchpoints:\n").replace(
        "    initiator: company\n    intent: high\n", "    <<: [*company, *customer]\n    intent: high\n")
    folder = write_map(tmp_path / "map", {**CLEAN_MAP, SPARK: stage})
    result = run_cli("build", "map", "-o", "site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    touchpoint = json.loads((tmp_path / "site/map.json").read_text())["stages"][0]["touchpoints"][0]
    assert (touchpoint["initiator"], touchpoint["intent"]) == ("company", "high")
    assert folder.is_dir()


def test_a_merge_of_what_is_no_mapping_or_of_itself_is_a_finding_at_its_line(tmp_path: Path) -> None:
    files = _with_meta(["  items: &items [1, 2]", "  listed: {<<: *items}", "  itself: &itself {<<: *itself}"])
    write_map(tmp_path / "map", files)
    result = run_cli("check", "map", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stdout + result.stderr
    lines = {line_of(files[SPARK], "listed:"): "`<<:` merges a mapping into this one",
             line_of(files[SPARK], "itself:"): "`<<:` merges the mapping that contains it"}
    for line, says in lines.items():
        assert any(f"map/{SPARK}:{line}:" in each and says in each for each in result.stdout.splitlines()), \
            result.stdout


# ---- a text longer than a diagram can draw ----

#: Graphviz's limit on one quoted text, in bytes; journeymap's on a text a diagram draws, in characters
GRAPHVIZ_LIMIT, LABEL_LIMIT = 16_384, 1_000


def _no_traceback(result: subprocess.CompletedProcess) -> str:
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "Graphviz failed" not in output, output[-2000:]
    return output


def test_a_name_longer_than_graphviz_takes_is_a_finding_check_and_build_agree_on(tmp_path: Path) -> None:
    long_name = "A" * (GRAPHVIZ_LIMIT + 100)
    files = {**CLEAN_MAP, SPARK: CLEAN_MAP[SPARK].replace("name: Sees an ad", f"name: {long_name}")
             .replace("job: Notice that the old way costs too much", "job: " + "j" * (LABEL_LIMIT + 1))}
    write_map(tmp_path / "map", files)
    checked = run_cli("check", "map", "--strict", cwd=tmp_path)
    _no_traceback(checked)
    assert checked.returncode == 1
    expected = {(line_of(files[SPARK], "name: AAA"), "`touchpoints[0].name`", f"{GRAPHVIZ_LIMIT + 100:,}"),
                (line_of(files[SPARK], "job: jjj"), "`job`", f"{LABEL_LIMIT + 1:,}")}
    for line, field, length in expected:
        assert any(f"map/{SPARK}:{line}:" in each and f"{field} is {length} characters long, more than the "
                   f"{LABEL_LIMIT:,}" in each for each in checked.stdout.splitlines()), checked.stdout
    built = run_cli("build", "map", "-o", "site", cwd=tmp_path)
    _no_traceback(built)
    assert built.returncode == 1 and not (tmp_path / "site").exists()  # the same errors stop the build
    kept_going = run_cli("build", "map", "-o", "site", "--keep-going", cwd=tmp_path)
    _no_traceback(kept_going)
    assert kept_going.returncode == 1
    stage_page = (tmp_path / "site/stages/spark.html").read_text()
    assert "A" * (LABEL_LIMIT - 1) + "…" in stage_page and long_name not in stage_page  # drawn, clipped
    assert "<svg" in stage_page


def test_texts_at_the_limit_in_the_widest_characters_still_draw(tmp_path: Path) -> None:
    """Three texts of one label (a stage's name, its volume metric's name, and its job in the tooltip) at
    the limit, in four-byte characters and quotes, the worst case for Graphviz's bytes: check and build pass."""
    widest = ("😀\"" * LABEL_LIMIT)[:LABEL_LIMIT]
    quoted = '"' + widest.replace("\\", "\\\\").replace('"', '\\"') + '"'
    stage = (CLEAN_MAP[SPARK].replace("name: Spark", f"name: {quoted}").replace("name: Visitors", f"name: {quoted}")
             .replace("job: Notice that the old way costs too much", f"job: {quoted}")
             .replace("name: Sees an ad", f"name: {quoted}")
             .replace("handoff: Marketing passes the lead to CS in the CRM", f"handoff: {quoted}"))
    write_map(tmp_path / "map", {**CLEAN_MAP, SPARK: stage})
    checked = run_cli("check", "map", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout
    built = run_cli("build", "map", "-o", "site", cwd=tmp_path)
    _no_traceback(built)
    assert built.returncode == 0
    page = html.unescape((tmp_path / "site/stages/spark.html").read_text())
    assert widest[:40] in page and "<svg" in page


# ---- numbers: finite and in range, and map.json strict JSON ----

NOT_FINITE = edited({
    SPARK: ("value: 1000\n    target: 1200",
            "value: .inf\n    target: .nan\n    history: {2026-Q2: -.inf, 2026-Q3: 90}"),
    "stages/adopt.yaml": ("cycle_time_days: 20", "cycle_time_days: .nan\nemotion: .nan"),
    "journey.yaml": ("cadence_days: 90", "cadence_days: .inf"),
})
NOT_FINITE = edited({SPARK: ("value: 0.3", "value: -.inf")}, NOT_FINITE)
_COMPUTED_NOT_FINITE = re.compile(r"\b(inf|infinity|nan)\b", re.IGNORECASE)


def _strict_json(text: str) -> object:
    def refuse(constant: str) -> None:
        raise AssertionError(f"map.json holds {constant}, which is no JSON")
    return json.loads(text, parse_constant=refuse)


def _shows_no_computed_inf_or_nan(output: str) -> None:
    """Only the values as written, quoted in a finding, may say inf or nan: no figure computed from them."""
    for written in ("`.inf`", "`-.inf`", "`.nan`"):
        output = output.replace(written, "")
    assert not _COMPUTED_NOT_FINITE.search(output), _COMPUTED_NOT_FINITE.search(output)


def test_inf_and_nan_are_findings_at_their_lines_saying_what_to_write(tmp_path: Path) -> None:
    write_map(tmp_path / "map", NOT_FINITE)
    result = run_cli("check", "map", cwd=tmp_path)
    output = _no_traceback(result)
    assert result.returncode == 1
    expected = [("journey.yaml", "cadence_days: .inf", "`review.cadence_days` is `.inf`", "whole number, e.g. 90"),
                (SPARK, "value: .inf", "`metrics.volume.value` is `.inf`", "number, e.g. 1200"),
                (SPARK, "target: .nan", "`metrics.volume.target` is `.nan`", "number, e.g. 1200"),
                (SPARK, "history: {", "`metrics.volume.history.2026-Q2` is `-.inf`", "number, e.g. 1200"),
                (SPARK, "value: -.inf", "`metrics.health.value` is `-.inf`", "number, e.g. 1200"),
                ("stages/adopt.yaml", "cycle_time_days: .nan", "`cycle_time_days` is `.nan`", "number, e.g. 1200"),
                ("stages/adopt.yaml", "emotion: .nan", "`emotion` is `.nan`", "whole number, e.g. 2")]  # -2..2
    lines = result.stdout.splitlines()
    for file, written, says, write in expected:
        place = f"map/{file}:{line_of(NOT_FINITE[file], written)}:"
        assert any(place in each and "error [schema]" in each and says in each and f"write a finite {write}" in each
                   for each in lines), (place, says, output)
    _shows_no_computed_inf_or_nan(output)
    assert "nan%" not in output


def test_a_map_with_inf_and_nan_builds_strict_json_and_pages_without_them(tmp_path: Path) -> None:
    write_map(tmp_path / "map", NOT_FINITE)
    result = run_cli("build", "map", "-o", "site", "--keep-going", cwd=tmp_path)
    _shows_no_computed_inf_or_nan(_no_traceback(result))
    assert result.returncode == 1
    exported = _strict_json((tmp_path / "site/map.json").read_text())
    spark = exported["stages"][0]  # type: ignore[index]
    assert spark["metrics"]["volume"]["value"] is None and spark["metrics"]["volume"]["history"] == {"2026-Q3": 90}
    assert exported["review"]["cadence_days"] == 90  # type: ignore[index]  # the default: .inf is no cadence
    for page in (tmp_path / "site").rglob("*.html"):
        text = page.read_text()
        assert "nan%" not in text and "inf%" not in text and "Infinity" not in text, page


def test_figures_in_range_whose_rate_overflows_build_strict_json(tmp_path: Path) -> None:
    """1e-300 visitors then 10^15 accounts: each figure is in range, the rate between them is no float."""
    files = edited({SPARK: ("value: 1000", "value: 1.0e-300"),
                    "stages/adopt.yaml": ("value: 100", "value: 1000000000000000")})
    write_map(tmp_path / "map", files)
    result = run_cli("build", "map", "-o", "site", cwd=tmp_path)
    output = _no_traceback(result)
    _shows_no_computed_inf_or_nan(output)
    exported = _strict_json((tmp_path / "site/map.json").read_text())
    assert exported["transitions"][0]["conversion"] is None  # type: ignore[index]


def test_a_number_beyond_any_figure_is_a_finding_with_the_range(tmp_path: Path) -> None:
    files = edited({"stages/adopt.yaml": ("cycle_time_days: 20", "cycle_time_days: " + "9" * 400)})
    write_map(tmp_path / "map", files)
    result = run_cli("check", "map", cwd=tmp_path)
    _no_traceback(result)
    line = line_of(files["stages/adopt.yaml"], "cycle_time_days")
    assert result.returncode == 1 and any(
        f"map/stages/adopt.yaml:{line}:" in each and "write a value from 0 to 1,000,000,000,000,000" in each
        for each in result.stdout.splitlines()), result.stdout


# ---- text on the terminal ----

#: what a terminal acts on instead of showing: escape (C0), carriage return, DEL, C1, bidirectional controls
_OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
ERASE = "\x1b[2K\x1b[1A"  # erase this line, go up one: a finding above would vanish from the screen
HOSTILE_TEXT = edited({
    # YAML's double-quoted escapes: \e is ESC, \x9b the one-byte CSI, \u202e RIGHT-TO-LEFT OVERRIDE
    SPARK: ("name: Spark\n", 'name: "Spark\\e[2K\\e[1A\\x9b2K\\u202eecaps\\x7f"\n'),
    "owners.yaml": ("name: Marketing team", 'name: "Market\\u2066ing\\u2069 \\u200f\\u202a team\\r"'),
    "stages/adopt.yaml": ("  - id: welcome\n", '  - id: "wel\\ecome\\u202e\\r\\n  map/journey.yaml:1:1: error"\n'),
})
HOSTILE_TEXT[f"stages/evil{ERASE}\u202e.yaml"] = "id: evil\nname: Evil\n"
HOSTILE_TEXT["evidence/raw.md"] = "---\ntitle: x\x1b[2K\nkind: interview\ndate: 2026-10-01\n---\nbody\n"


def _assert_nothing_obeyed(output: str) -> None:
    found = _OBEYED.search(output)
    around = output[max(0, found.start() - 80):found.end() + 20] if found else ""
    assert found is None, f"{found.group()!r} reached the terminal: {around!r}"


def test_escape_codes_and_bidi_controls_in_names_ids_and_file_names_are_shown_escaped(tmp_path: Path) -> None:
    write_map(tmp_path / "map", HOSTILE_TEXT)
    result = run_cli("check", "map", cwd=tmp_path, env={"FORCE_COLOR": "0"})
    _no_traceback(result)
    _assert_nothing_obeyed(result.stdout + result.stderr)
    assert result.returncode == 1
    shown = result.stdout
    assert "Spark\\x1b[2K\\x1b[1A\\x9b2K\\u202eecaps\\x7f" in shown  # the reviewer sees what is there
    assert "map/stages/evil\\x1b[2K\\x1b[1A\\u202e.yaml:1:1:" in shown
    assert "wel\\x1bcome\\u202e\\r\\n  map/journey.yaml:1:1: error" in shown  # the forged line stays in its finding
    assert not any(line.startswith("  map/journey.yaml:1:1: error\"") for line in shown.splitlines())
    raw = line_of(HOSTILE_TEXT["evidence/raw.md"], "title:")
    assert f"map/evidence/raw.md:{raw}:9: error [invalid-yaml] not valid YAML: unacceptable character #x001b" in shown


def test_the_github_format_shows_them_escaped_in_one_annotation_each(tmp_path: Path) -> None:
    write_map(tmp_path / "map", HOSTILE_TEXT)
    result = run_cli("check", "map", "--format", "github", cwd=tmp_path)
    _no_traceback(result)
    _assert_nothing_obeyed(result.stdout + result.stderr)
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in result.stdout.splitlines())
    assert "evil\\x1b[2K\\x1b[1A\\u202e.yaml" in result.stdout


def test_json_and_sarif_keep_the_text_exact_for_readers_and_raw_controls_off_the_terminal(tmp_path: Path) -> None:
    write_map(tmp_path / "map", HOSTILE_TEXT)
    exact = "Spark\x1b[2K\x1b[1A\x9b2K\u202eecaps\x7f"  # as the map holds it, once YAML's escapes are read
    messages = {}
    for form in ("json", "sarif"):
        result = run_cli("check", "map", "--format", form, cwd=tmp_path)
        _assert_nothing_obeyed(result.stdout + result.stderr)
        document = json.loads(result.stdout)
        messages[form] = [f["message"] for f in document["findings"]] if form == "json" else [
            r["message"]["text"] for r in document["runs"][0]["results"]]
    assert all(any(exact in message for message in found) for found in messages.values()), messages
    findings = json.loads(run_cli("check", "map", "--format", "json", cwd=tmp_path).stdout)["findings"]
    assert f"stages/evil{ERASE}\u202e.yaml" in {finding["file"] for finding in findings}  # the exact name


def test_build_reports_them_escaped_too(tmp_path: Path) -> None:
    write_map(tmp_path / "map", HOSTILE_TEXT)
    result = run_cli("build", "map", "-o", "site", "--keep-going", cwd=tmp_path)
    _no_traceback(result)
    _assert_nothing_obeyed(result.stdout + result.stderr)
    assert result.returncode == 1 and "Spark\\x1b[2K" in result.stderr


def test_printable_is_the_one_function_for_every_text_output() -> None:
    """Its contract for the other outputs that will call it (diff's text, serve's log): what is escaped, what stays."""
    from journeymap.util.printable import json_printable, printable

    assert printable("a\x1b[2Kb\rc\x00d\x7fe\x9bf") == "a\\x1b[2Kb\\rc\\x00d\\x7fe\\x9bf"
    bidi = "\u202ea\u202a\u2066b\u2069\u200e\u200f\u061c"
    assert printable(bidi) == "\\u202ea\\u202a\\u2066b\\u2069\\u200e\\u200f\\u061c"
    assert printable("one\ntwo") == "one\\ntwo" and printable("one\ntwo\r", lines=True) == "one\ntwo\\r"
    assert printable("C:\\maps\tname — 発見 اكتشاف") == "C:\\maps\tname — 発見 اكتشاف"  # text people write stays
    document = json.dumps({"name": "a\u202eb\x9bc\x1bd"}, ensure_ascii=False)
    assert json.loads(json_printable(document)) == {"name": "a\u202eb\x9bc\x1bd"}
    assert not _OBEYED.search(json_printable(document))
