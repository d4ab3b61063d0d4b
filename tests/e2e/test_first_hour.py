"""The first hour: each mistake a newcomer makes, the one finding it must produce, and its fix applied.

Every case is the clean map with one mistake. The test checks the message a
person sees, that one cause gives one finding, and then applies the suggestion
(`check --fix` where it is safe, else the edit the message asks for) and checks
again: the finding is gone and nothing new appeared.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from journeymap.authoring import fixes
from journeymap.core.check import check_map

from ..conftest import CLEAN_MAP, edited, run_cli, write_map

SPARK, ADOPT = "stages/spark.yaml", "stages/adopt.yaml"
_ADOPT_METRICS = CLEAN_MAP[ADOPT][CLEAN_MAP[ADOPT].index("metrics:"):CLEAN_MAP[ADOPT].index("touchpoints:")]
NEW_TOUCHPOINT = "  - id: partner-call\n    name: Partner call\n    owner: cs\n"
MISSPELT_OWNER = (CLEAN_MAP[ADOPT].replace("    intent: medium\n", "    intent: medium\n    next: [partner-call]\n")
                  + NEW_TOUCHPOINT.replace("owner: cs", "owner: cx"))  # welcome (cs) → partner-call (cx, for cs)


@dataclass
class Mistake:
    name: str
    edits: dict[str, tuple[str, str] | str | None]
    rule: str
    says: str  # part of the message
    file: str
    fixable: bool = False  # `check --fix` corrects it
    by_hand: dict[str, tuple[str, str]] = field(default_factory=dict)  # what the message asks a person to do
    moves: dict[str, str] = field(default_factory=dict)  # folders renamed to make the mistake
    renames: dict[str, str] = field(default_factory=dict)  # what the message asks to rename (or move out)


CORPUS = [
    Mistake("an unquoted colon in a value", {SPARK: ("    name: Sees an ad\n", "    name: Sees an ad: retargeting\n")},
            "invalid-yaml", 'write `name: "Sees an ad: retargeting"`', SPARK, fixable=True),
    Mistake("a tab for indentation", {SPARK: ("    owner: mkt\n", "\towner: mkt\n")}, "invalid-yaml",
            "indented with a tab", SPARK, fixable=True),
    Mistake("no space after a colon", {ADOPT: ("    owner: cs\n", "    owner:cs\n")}, "invalid-yaml",
            "write `owner: cs`", ADOPT, fixable=True),
    Mistake("no space after a dash", {ADOPT: ("  - id: welcome\n", "  -id: welcome\n")}, "invalid-yaml",
            "write `- id: welcome`", ADOPT, fixable=True),
    Mistake("an unclosed quote", {ADOPT: ("name: Adopt\n", 'name: "Adopt\n')}, "invalid-yaml",
            'write `name: "Adopt"`', ADOPT, fixable=True),
    Mistake("an unclosed bracket", {SPARK: ("    next: [welcome]\n", "    next: [welcome\n")}, "invalid-yaml",
            "write `next: [welcome]`", SPARK, fixable=True),
    Mistake("a stray indent", {ADOPT: ("job: Get the team using it\n", "  job: Get the team using it\n")},
            "invalid-yaml", "indented more than `name:`", ADOPT, fixable=True),
    Mistake("a misspelt key", {SPARK: ("    owner: mkt\n", "    ownr: mkt\n")}, "schema", "did you mean `owner`?",
            SPARK, fixable=True),
    Mistake("a misspelt value", {ADOPT: ("    intent: medium", "    intent: meduim")}, "schema",
            "did you mean `medium`?", ADOPT, fixable=True),
    Mistake("a percentage with its sign", {SPARK: ("    value: 0.3\n", "    value: 30%\n")}, "schema",
            "write the plain number `0.3`", SPARK, fixable=True),
    Mistake("a thousands separator", {SPARK: ("    value: 1000\n", "    value: 1,000\n")}, "schema",
            "write the plain number `1000`", SPARK, fixable=True),
    Mistake("an id with spaces", {ADOPT: CLEAN_MAP[ADOPT] + NEW_TOUCHPOINT.replace("partner-call", "Partner Call")},
            "invalid-id", "e.g. `partner-call`", ADOPT, fixable=True),
    Mistake("a stage file not named after its id", {SPARK: None, "stages/Spark.yaml": CLEAN_MAP[SPARK]},
            "invalid-id", "rename the file to stages/spark.yaml", "stages/Spark.yaml", fixable=True),
    Mistake("a brief naming the stage's name, not its id",
            {"briefs/adopt-brief.md": ("stage: adopt", "stage: Adopt")}, "unknown-stage", "did you mean `adopt`?",
            "briefs/adopt-brief.md", by_hand={"briefs/adopt-brief.md": ("stage: Adopt", "stage: adopt")}),
    Mistake("a malformed date", {"journey.yaml": ("last_reviewed: 2026-11-01", "last_reviewed: Nov 1st 2026")},
            "schema", "not an ISO date", "journey.yaml",
            by_hand={"journey.yaml": ("last_reviewed: Nov 1st 2026", "last_reviewed: 2026-11-01")}),
    Mistake("a list where a mapping belongs", {ADOPT: (_ADOPT_METRICS, "metrics:\n  - Accounts live: 100\n")},
            "schema", "must be a mapping", ADOPT,
            by_hand={ADOPT: ("metrics:\n  - Accounts live: 100\n", _ADOPT_METRICS)}),
    Mistake("a brief without its --- lines", {"briefs/spark-brief.md": ("---\ntitle:", "title:")}, "invalid-yaml",
            "must be between two `---` lines: add a line `---` above `title: Spark campaign`",
            "briefs/spark-brief.md", by_hand={"briefs/spark-brief.md": ("title:", "---\ntitle:")}),
    Mistake("an empty stage file", {ADOPT: ""}, "schema",
            "the file must be a mapping, not empty: write its fields as `key: value` lines", ADOPT,
            by_hand={ADOPT: ("", CLEAN_MAP[ADOPT])}),
    Mistake("a stage file written as a list", {ADOPT: "- id: adopt\n- name: Adopt\n"}, "schema",
            "the file must be a mapping, not a list", ADOPT,
            by_hand={ADOPT: ("- id: adopt\n- name: Adopt\n", CLEAN_MAP[ADOPT])}),
    Mistake("a number written as a word", {"journey.yaml": ("cadence_days: 90", "cadence_days: ninety")}, "schema",
            "must be a whole number, not text `ninety`: write a plain whole number: days between reviews "
            "(default 90)", "journey.yaml", by_hand={"journey.yaml": ("cadence_days: ninety", "cadence_days: 90")}),
    Mistake("a value out of its range", {ADOPT: ("job: Get the team using it\n", "job: Get the team using it\n"
                                                 "emotion: 5\n")}, "schema", "`emotion` is 5: write a value "
            "from -2 to 2", ADOPT, by_hand={ADOPT: ("emotion: 5", "emotion: 2")}),
    Mistake("a misspelt owner id after a step of the same team", {ADOPT: MISSPELT_OWNER}, "unknown-owner",
            "names owner `cx`, which owners.yaml does not define", ADOPT, by_hand={ADOPT: ("owner: cx", "owner: cs")}),
    Mistake("a stage folder named stage/", {}, "unknown-file", "rename `stage/` to `stages/`", "stage/",
            moves={"stages": "stage"}, renames={"stage": "stages"}),
    Mistake("a briefs folder named Briefs/", {}, "unknown-file", "rename `Briefs/` to `briefs/`", "Briefs/",
            moves={"briefs": "Briefs"}, renames={"Briefs": "briefs"}),
    Mistake("a note in the stages folder", {"stages/notes.txt": "ideas\n"}, "unknown-file",
            "files in stages/ end in .yaml", "stages/notes.txt", renames={"stages/notes.txt": "notes.txt"}),
]


def _gaps(folder: Path) -> set[tuple[str, str]]:
    return {(f.rule, f.location.file) for f in check_map(folder).findings if f.severity.value != "info"}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    return _gaps(write_map(tmp_path_factory.mktemp("clean") / "map", CLEAN_MAP))


def _mistaken(tmp_path: Path, mistake: Mistake) -> Path:
    folder = write_map(tmp_path / "map", edited(mistake.edits))
    for old, new in mistake.moves.items():
        shutil.move(folder / old, folder / new)
    return folder


@pytest.mark.parametrize("mistake", CORPUS, ids=lambda m: m.name)
def test_each_mistake_gives_one_finding_that_says_what_to_write(tmp_path: Path, mistake: Mistake,
                                                                baseline: set) -> None:
    folder = _mistaken(tmp_path, mistake)
    findings = [f for f in check_map(folder).findings if f.severity.value != "info"]
    new = [f for f in findings if (f.rule, f.location.file) not in baseline]
    assert [(f.rule, f.location.file) for f in new] == [(mistake.rule, mistake.file)], [str(f.message) for f in new]
    assert mistake.says in new[0].message, new[0].message
    assert (new[0].fix is not None) == mistake.fixable


@pytest.mark.parametrize("mistake", [m for m in CORPUS if m.fixable or m.by_hand or m.renames],
                         ids=lambda m: m.name)
def test_the_suggested_fix_removes_the_finding_and_adds_none(tmp_path: Path, mistake: Mistake,
                                                             baseline: set) -> None:
    folder = _mistaken(tmp_path, mistake)
    if mistake.fixable:
        _, texts, renames = fixes.plan(folder, check_map(folder).findings)
        fixes.write(folder, texts, renames)
    for name, (old, new) in mistake.by_hand.items():
        path = folder / name
        path.write_text(path.read_text().replace(old, new, 1))
    for old, new in mistake.renames.items():
        shutil.move(folder / old, folder.parent / new if "/" in old else folder / new)
    assert _gaps(folder) == baseline


def test_fix_keeps_comments_and_layout_and_lists_what_it_changed(tmp_path: Path) -> None:
    spark = CLEAN_MAP[SPARK].replace("    owner: mkt\n", "    ownr: mkt   # the demand team\n") \
        .replace("    name: Sees an ad\n", "    name: Sees an ad: retargeting   # Q4\n")
    spark = "# Spark: how buyers first notice us\n" + spark.replace("touchpoints:\n", "touchpoints:   # two\n\n")
    folder = write_map(tmp_path / "map", {**CLEAN_MAP, SPARK: spark})
    before = (folder / SPARK).read_text()
    preview = run_cli("check", str(folder), "--diff")
    assert preview.returncode == 1 and (folder / SPARK).read_text() == before  # --diff writes nothing
    assert '+    name: "Sees an ad: retargeting"   # Q4' in preview.stdout
    result = run_cli("check", str(folder), "--fix")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "`ownr:` → `owner:` [schema]" in result.stderr and "[invalid-yaml]" in result.stderr
    after = (folder / SPARK).read_text()
    expected = before.replace("    ownr: mkt   # the demand team", "    owner: mkt   # the demand team") \
        .replace("    name: Sees an ad: retargeting   # Q4", '    name: "Sees an ad: retargeting"   # Q4')
    assert after == expected  # two tokens changed; every comment and blank line where it was


def test_rules_turned_off_draw_no_badge_and_info_is_no_gap(tmp_path: Path) -> None:
    files = edited({"briefs/adopt-brief.md": None,
                               "journey.yaml": ("stages: [spark, adopt]\n",
                                                "stages: [spark, adopt]\nchecks:\n  unbriefed-stage: off\n")})
    write_map(tmp_path / "map", files)
    assert run_cli("check", "map", "--strict", cwd=tmp_path).returncode == 0  # no errors, no warnings; 2 info
    assert run_cli("build", "map", "-o", "site", cwd=tmp_path).returncode == 0
    pages = {p.name: p.read_text() for p in (tmp_path / "site").rglob("*.html")}
    assert not any("No brief" in text for text in pages.values())
    assert '<span class="count">' not in pages["index.html"]  # the nav counts gaps: there are none
    for text in pages.values():
        assert not set("⚠⏱✓✗") & set(text)  # icons are inline SVG, not emoji a machine may lack


def test_the_gaps_page_names_each_file_the_same_way_in_heading_and_link(tmp_path: Path) -> None:
    import re

    files = edited({ADOPT: ("    owner: cs\n", "")})
    write_map(tmp_path / "repo/journey", files)
    (tmp_path / "repo/.git").mkdir()  # the map sits in a repository: paths are named from its root
    run_cli("build", "repo/journey", "-o", "site", "--keep-going", cwd=tmp_path)
    page = (tmp_path / "site/gaps.html").read_text()
    headings = re.findall(r"<h3[^>]*><a [^>]*>([^<]+)</a>", page)
    places = re.findall(r'<span class="file">([^<]+)</span>', page)
    assert "Adopt" in headings  # grouped under the stage's name
    assert any(place.startswith("journey/stages/adopt.yaml:") for place in places), places  # from the repo root


@pytest.mark.parametrize("unknown_owner", ["on", "off"])
def test_a_misspelt_owner_is_a_hand_off_gap_only_where_unknown_owner_is_off(tmp_path: Path, unknown_owner: str) -> None:
    checks = "checks:\n  unknown-owner: off\n" if unknown_owner == "off" else ""
    folder = write_map(tmp_path / "map", edited({ADOPT: MISSPELT_OWNER,
                                                 "journey.yaml": CLEAN_MAP["journey.yaml"] + checks}))
    checked = check_map(folder)
    journey = checked.journey
    gap = journey.handoff_gap(journey.touchpoint("welcome"), journey.touchpoint("partner-call"))
    reported = {f.rule for f in checked.findings} & {"unknown-owner", "handoff-gap"}
    assert (gap, reported) == ((False, {"unknown-owner"}) if unknown_owner == "on" else (True, {"handoff-gap"}))
