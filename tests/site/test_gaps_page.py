"""The gaps page: findings grouped by the stage (or the whole journey) and the team they are about."""

from __future__ import annotations

import re
from pathlib import Path

from ..conftest import CLEAN_MAP, line_of, run_cli, write_map

ADOPT = "stages/adopt.yaml"
#: an unowned touchpoint planted in adopt.yaml, and a team nothing is owned by planted in owners.yaml
PLANTED = {ADOPT: CLEAN_MAP[ADOPT] + "  - id: orphan-call\n    name: Orphan call\n    initiator: company\n",
           "owners.yaml": CLEAN_MAP["owners.yaml"] + "  - id: idle\n    name: Idle team\n    department: Sales\n"}


def _group(page: str, heading: str) -> str:
    """The text of the gap group whose heading holds `heading`, up to the next group."""
    start = page.index(heading)
    end = page.find('<section class="gap-group"', start)
    return page[start:end if end != -1 else len(page)]


def test_findings_are_grouped_under_the_stage_and_the_team_they_are_about(tmp_path: Path) -> None:
    folder = write_map(tmp_path / "map", {**CLEAN_MAP, **PLANTED})
    result = run_cli("build", str(folder), "--output", str(tmp_path / "site"), "--keep-going")
    assert result.returncode == 1, result.stderr  # the unowned touchpoint is an error
    page = (tmp_path / "site/gaps.html").read_text()
    by_stage = page[page.index('id="by-stage"'):page.index('id="by-team"')]
    adopt = _group(by_stage, '<a href="stages/adopt.html">Adopt</a>')
    line = line_of(PLANTED[ADOPT], "  - id: orphan-call")
    assert '<span class="severity-chip severity-error">error</span>' in adopt
    assert "orphan-call" in adopt and '<span class="rule-tag">unowned-touchpoint</span>' in adopt
    assert f"stages/adopt.yaml:{line}" in re.sub(r"<[^>]+>", "", adopt)
    assert "Fix:" in adopt  # the message's own fix, said apart from the problem
    assert by_stage.count("orphan-call") == adopt.count("orphan-call")  # under Adopt, nowhere else
    whole = by_stage[by_stage.index("Whole journey"):]
    assert "idle-owner" in whole and "owners.yaml" in whole  # owners.yaml belongs to no stage
    by_team = page[page.index('id="by-team"'):]
    assert "Idle team" in by_team and "idle-owner" in _group(by_team, "Idle team")
