"""Acceptance: a map written from FORMAT.md with gaps of every rule seeded on purpose.

Each seeded line says what it expects (`# expect: rule-id`); every expectation
must be reported at its file and line, and nothing else may be.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from journeymap.core.check import check_map
from journeymap.core.rules import RULES

FIXTURE = Path(__file__).parents[1] / "fixtures" / "seeded"
#: a link out of the map cannot be committed portably (copies of a checkout turn it into a file): the test
#: adds it to its own copy of the seeded map, pointing at a file beside the map
OUTSIDE_LINK = "experiments/linked.yaml"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("seeded")
    shutil.copytree(FIXTURE, root / "seeded")
    (root / "secret.yaml").write_text("token: never read\n")
    (root / "seeded" / OUTSIDE_LINK).symlink_to(root / "secret.yaml")
    return root / "seeded"


def expected_findings(seeded: Path) -> set[tuple[str, str, int | None]]:
    expected: set[tuple[str, str, int | None]] = set()
    for path in seeded.rglob("*"):
        if path.is_symlink() and not path.resolve().is_relative_to(seeded.resolve()):
            expected.add(("outside-link", path.relative_to(seeded).as_posix(), None))  # never read
            continue
        if path.is_file() and path.suffix not in (".yaml", ".md"):  # a stray: its finding is about the whole file
            match = re.search(r"# expect: (.+)$", path.read_text(), re.MULTILINE)
            if match:
                expected.add((match.group(1).strip(), path.relative_to(seeded).as_posix(), None))
            continue
        if path.suffix not in (".yaml", ".md") or path.name == "README.md":
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            match = re.search(r"# expect: (.+)$", line)
            if match:
                for rule in match.group(1).split(","):
                    expected.add((rule.strip(), path.relative_to(seeded).as_posix(), number))
    return expected


def test_seeded_map_covers_every_rule_with_twenty_plus_gaps(seeded: Path) -> None:
    expected = expected_findings(seeded)
    assert len(expected) >= 20
    assert {rule for rule, _, _ in expected} == set(RULES)


def test_every_seeded_gap_is_reported_at_its_line_and_nothing_else(seeded: Path) -> None:
    findings = check_map(seeded).findings
    reported = {(f.rule, f.location.file, f.location.line) for f in findings}
    missing = expected_findings(seeded) - reported
    assert not missing, f"not reported: {sorted(missing)}"
    extra = reported - expected_findings(seeded)
    assert not extra, f"unexpected findings: {sorted(extra)}"
