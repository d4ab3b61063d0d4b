"""Hostile and broken input, tried as CI runs it: a finding or a one-line error, never a traceback or a hang.

Each case is a small map (the clean map with one thing broken), checked and built
by the real command in a real process under a time limit. The valid variants
(a byte-order mark, CRLF, non-Latin names, cycles in `next`) must still pass.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ..conftest import CLEAN_MAP, run_cli, write_map

SPARK = "stages/spark.yaml"


def _alias_bomb() -> str:
    lines = ['  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"  {name}: &{name} [{', '.join(['*' + previous] * 9)}]")
        previous = name
    return CLEAN_MAP[SPARK] + "meta:\n" + "\n".join(lines) + "\n"


@dataclass
class Broken:
    name: str
    files: dict[str, str | bytes | None]  # None deletes a file of the clean map
    names: str  # the file the output must name
    exit_code: int = 1
    says: str = ""  # part of the message
    links: dict[str, str] = field(default_factory=dict)  # file -> absolute target


CORPUS = [
    Broken("alias bomb", {SPARK: _alias_bomb()}, SPARK, says="aliases"),
    Broken("nesting beyond any map", {SPARK: CLEAN_MAP[SPARK] + "meta: " + "[" * 990 + "]" * 990 + "\n"}, SPARK,
           says="nested more than"),
    Broken("nesting beyond the parser", {SPARK: CLEAN_MAP[SPARK] + "meta: " + "[" * 100_000 + "\n"}, SPARK),
    Broken("a stage listed twice", {"journey.yaml": CLEAN_MAP["journey.yaml"].replace(
        "stages: [spark, adopt]", "stages: [spark, adopt, spark]")}, "journey.yaml", says="listed twice"),
    Broken("tabs for indentation", {SPARK: CLEAN_MAP[SPARK].replace("    name: Sees an ad", "\tname: Sees an ad")},
           SPARK),
    Broken("not UTF-8", {SPARK: CLEAN_MAP[SPARK].replace("Spark", "Sp\xe4rk").encode("latin-1")}, SPARK,
           says="UTF-8"),
    Broken("binary", {SPARK: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))}, SPARK),
    Broken("a NUL byte", {SPARK: CLEAN_MAP[SPARK].replace("Spark", "Sp\x00rk")}, SPARK),
    Broken("empty stage file", {SPARK: ""}, SPARK),
    Broken("top level a list", {SPARK: "- id: spark\n- name: Spark\n"}, SPARK),
    Broken("wrong types", {SPARK: CLEAN_MAP[SPARK].replace("touchpoints:\n", "touchpoints: many\nx:\n")}, SPARK),
    Broken("impossible date", {"journey.yaml": CLEAN_MAP["journey.yaml"].replace("2026-11-01", "2026-02-30")},
           "journey.yaml", says="calendar"),
    Broken("out of range", {SPARK: CLEAN_MAP[SPARK].replace("id: spark\n", "id: spark\nemotion: 7\n")}, SPARK),
    Broken("brief without front matter", {"briefs/spark-brief.md": "Just a body.\n"}, "briefs/spark-brief.md"),
    Broken("brief with unterminated front matter", {"briefs/spark-brief.md": "---\ntitle: x\nstage: spark\n"},
           "briefs/spark-brief.md", says="not closed"),
    Broken("a listed stage file missing", {"stages/adopt.yaml": None}, "journey.yaml"),
    Broken("python tag", {SPARK: CLEAN_MAP[SPARK] + "meta: !!python/object/apply:os.system ['touch PWNED']\n"},
           SPARK),
    Broken("python tag on a mapping", {SPARK: "!!python/object:os.system {id: spark}\n"}, SPARK),
    Broken("tens of megabytes", {"briefs/huge.md": "---\ntitle: x\nstage: spark\n---\n" + "a" * 30_000_000},
           "briefs/huge.md", says="MB"),
    Broken("a link out of the map", {}, "stages/secret.yaml", says="outside the map",
           links={"stages/secret.yaml": "SECRET"}),
    Broken("no journey.yaml", {"journey.yaml": None}, "map", exit_code=2),
    Broken("owners.yaml unreadable", {"owners.yaml": b"\xff\xfe\x00"}, "owners.yaml"),
    Broken("an unclosed quote", {SPARK: CLEAN_MAP[SPARK].replace("name: Spark", 'name: "Spark')}, SPARK),
]

SECRET = "never-publish-this-3c9f"


def _write(tmp_path: Path, case: Broken) -> Path:
    folder = write_map(tmp_path / "map", CLEAN_MAP)
    (tmp_path / "secret.yaml").write_text(f"id: spark\nname: {SECRET}\n")
    for name, content in case.files.items():
        path = folder / name
        if content is None:
            path.unlink()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    for name, _ in case.links.items():
        (folder / name).symlink_to(tmp_path / "secret.yaml")
    return folder


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    started = time.monotonic()
    result = run_cli(*args, cwd=cwd)
    assert time.monotonic() - started < 30, "took too long: a hang in the making"
    return result


@pytest.mark.parametrize("case", CORPUS, ids=lambda c: c.name)
def test_broken_input_is_a_finding_naming_the_file_never_a_traceback(tmp_path: Path, case: Broken) -> None:
    folder = _write(tmp_path, case)
    result = _run("check", "map", cwd=tmp_path)
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "Error:" not in result.stderr.split(":", 1)[0], output[-2000:]
    assert result.returncode == case.exit_code, output[-2000:]
    assert case.names in output and case.says in output, output[-2000:]
    assert not (tmp_path / "PWNED").exists() and not (folder / "PWNED").exists()


@pytest.mark.parametrize("case", [c for c in CORPUS if c.exit_code == 1], ids=lambda c: c.name)
def test_broken_input_builds_under_keep_going_without_a_traceback(tmp_path: Path, case: Broken) -> None:
    _write(tmp_path, case)
    result = _run("build", "map", "-o", "site", "--keep-going", cwd=tmp_path)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 1 and (tmp_path / "site/index.html").is_file()
    site = "".join(p.read_text(errors="replace") for p in (tmp_path / "site").rglob("*") if p.is_file())
    assert SECRET not in site  # nothing outside the map reaches the site
    assert case.names.split("/")[-1] in (tmp_path / "site/gaps.html").read_text() or case.names == "map"


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    case = next(c for c in CORPUS if c.name == "tens of megabytes")
    _write(tmp_path, case)
    started = time.monotonic()
    result = run_cli("check", "map", cwd=tmp_path)
    assert time.monotonic() - started < 5 and "not read" in result.stdout


VALID = {
    "byte-order marks": {name: "\ufeff" + text for name, text in CLEAN_MAP.items()},
    "CRLF line endings": {name: text.replace("\n", "\r\n") for name, text in CLEAN_MAP.items()},
    "non-Latin names": {**CLEAN_MAP, SPARK: CLEAN_MAP[SPARK].replace("name: Spark", "name: 発見 — اكتشاف")
                        .replace("name: Sees an ad", "name: Видит рекламу «ИИ»")},
    "a cycle in next": {**CLEAN_MAP, "stages/adopt.yaml": CLEAN_MAP["stages/adopt.yaml"].replace(
        "    intent: medium\n", "    intent: medium\n    next: [ad]\n    handoff: CS hands back to Marketing\n")},
}


@pytest.mark.parametrize("name", VALID)
def test_what_users_legitimately_write_still_passes(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "map"
    for relative, text in VALID[name].items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    result = run_cli("check", "map", "--strict", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    built = run_cli("build", "map", "-o", "site", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    if name == "non-Latin names":
        assert "発見 — اكتشاف" in (tmp_path / "site/stages/spark.html").read_text()


def test_an_id_that_is_a_path_never_becomes_one(tmp_path: Path) -> None:
    files = {**CLEAN_MAP, SPARK: CLEAN_MAP[SPARK].replace("id: spark\n", "id: ../../../escaped\n"),
             "journey.yaml": CLEAN_MAP["journey.yaml"].replace("[spark, adopt]", "[../../../escaped, adopt]")}
    write_map(tmp_path / "deep/er/map", files)
    result = run_cli("build", "deep/er/map", "-o", "deep/er/site", "--keep-going", cwd=tmp_path)
    assert result.returncode == 1 and "[invalid-id]" in result.stderr
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.html")}
    assert written and all(p.startswith("deep/er/site/") for p in written), sorted(written)
    assert not any("escaped" in p for p in written)


def test_python_tags_are_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    files = {**CLEAN_MAP, SPARK: CLEAN_MAP[SPARK] + f"meta: !!python/object/apply:os.system ['touch {marker}']\n"}
    write_map(tmp_path / "map", files)
    for command in (["check", "map"], ["build", "map", "-o", "site", "--keep-going"]):
        subprocess.run([sys.executable, "-m", "journeymap", *command], cwd=tmp_path, capture_output=True)
    assert not marker.exists()
