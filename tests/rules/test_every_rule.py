"""Each rule: one map that triggers it at a known file and line, one near-miss that does not.

The cases are written beside the rule module's own tests (tests/rules/test_<module>.py); here they all run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.core.check import check_map
from journeymap.core.rules import RULES

from ..conftest import CLEAN_MAP, line_of
from .cases import ADOPT, Case, findings_for
from .test_files import CASES as FILES
from .test_ids import CASES as IDS
from .test_metrics import CASES as METRICS
from .test_ownership import CASES as OWNERSHIP
from .test_references import CASES as REFERENCES
from .test_review import CASES as REVIEW
from .test_stages import CASES as STAGES
from .test_urls import CASES as URLS

CASES = [*FILES, *IDS, *METRICS, *OWNERSHIP, *REFERENCES, *REVIEW, *STAGES, *URLS]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.rule)
def test_rule_reports_the_gap_at_its_file_and_line(tmp_path: Path, case: Case) -> None:
    findings, files = findings_for(tmp_path, case.edits)
    expected_line = None if case.needle is None else line_of(files[case.file], case.needle)
    hits = [f for f in findings if f.rule == case.rule]
    assert any(f.location.file == case.file and f.location.line == expected_line for f in hits), (
        f"expected {case.rule} at {case.file}:{expected_line}, got {[(f.rule, str(f.location)) for f in findings]}")
    assert all(f.message for f in hits)


@pytest.mark.parametrize("case", [c for c in CASES if c.passing], ids=lambda c: c.rule)
def test_rule_stays_quiet_on_the_near_miss(tmp_path: Path, case: Case) -> None:
    findings, _ = findings_for(tmp_path, case.passing)
    assert [f for f in findings if f.rule == case.rule] == []


def test_every_rule_has_a_case_and_a_near_miss() -> None:
    assert {c.rule for c in CASES} == set(RULES)
    assert {c.rule for c in CASES if c.passing} == set(RULES)


def test_every_file_of_a_single_journey_is_counted_once(clean_map: Path) -> None:
    assert check_map(clean_map).files_checked == len(CLEAN_MAP)  # no shared owners.yaml outside the journey
    (clean_map / ADOPT).write_text("id: adopt\nname: [broken\n")  # a file that cannot be read still counts
    assert check_map(clean_map).files_checked == len(CLEAN_MAP)


def test_clean_map_has_no_errors_or_warnings(clean_map: Path) -> None:
    findings = check_map(clean_map).findings
    assert [(f.rule, f.severity.value) for f in findings] == [("weakest-link", "info")] * 2


def test_every_rule_doc_has_why_and_examples() -> None:
    for rule in RULES.values():
        assert rule.summary and "Why:" in rule.doc and "Fails:" in rule.doc and "Passes:" in rule.doc, rule.id
