"""The rule registry (journeymap/core/rules/registry.py, __init__.py): one rule per id, looked up by it,
its severity as the map's `checks:` sets it."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.core.findings import Severity
from journeymap.core.rules import CHECKS, RULES

from ..conftest import CLEAN_MAP
from .cases import SPARK, findings_for


def test_checks_override_changes_severity_and_off_disables(tmp_path: Path) -> None:
    edits = {SPARK: ("    response_sla_hours: 4\n", ""),
             "journey.yaml": ("stages: [spark, adopt]", "stages: [spark, adopt]\nchecks:\n"
                                                         "  high-intent-no-sla: error\n  weakest-link: off\n")}
    findings, _ = findings_for(tmp_path, edits)
    assert {(f.rule, f.severity.value) for f in findings} == {("high-intent-no-sla", "error")}


def test_a_rule_id_registers_once() -> None:
    from journeymap.core.rules import registry

    again = registry.rule("weakest-link", Severity.INFO)(lambda journey: iter(()))
    with pytest.raises(ValueError, match="rule weakest-link registered twice"):
        registry.index([*CHECKS, again])
    assert RULES["weakest-link"].severity is Severity.INFO


def test_a_rule_is_looked_up_by_its_id() -> None:
    from journeymap.core import rules

    assert rules.get("orphan-stage") is RULES["orphan-stage"] and rules.get("orphan-stages") is None


def test_a_registered_rule_keeps_its_id_severity_and_check() -> None:
    from journeymap.core.rules import registry

    def check(journey):  # noqa: ANN001, ANN202
        return iter(())

    assert registry.rule("test-only-rule", Severity.WARNING)(check) is check
    assert registry.index([check]) == {"test-only-rule": registry.Rule("test-only-rule", Severity.WARNING, check)}
    assert "test-only-rule" not in RULES  # marked, not listed in CHECKS: it does not run


def test_a_rule_turned_off_leaves_the_rules_after_it_on(tmp_path: Path) -> None:
    # unowned-touchpoint comes early in the rule order; the hand-off gap and weakest link come later
    findings, _ = findings_for(tmp_path, {"journey.yaml": CLEAN_MAP["journey.yaml"] + "checks:\n  invalid-yaml: off\n"
                                                                                     "  unowned-touchpoint: off\n",
                                          SPARK: ("    owner: mkt\n", "")})
    rules = {f.rule for f in findings}
    assert "unowned-touchpoint" not in rules and {"weakest-link", "idle-owner"} <= rules


def test_a_listed_function_that_is_no_rule_is_refused_by_its_name() -> None:
    from journeymap.core.rules import registry

    def unmarked(journey):  # noqa: ANN001, ANN202
        return iter(())

    def mislabelled(journey):  # noqa: ANN001, ANN202
        return iter(())

    mislabelled.rule = "weakest-link"  # type: ignore[attr-defined]  # an attribute of that name, not @rule's mark
    for check in (unmarked, mislabelled):
        assert registry.rule_of(check) is None
        with pytest.raises(ValueError, match=rf"^{check.__qualname__} is listed as a rule but has no "
                                             r"@rule\(id, severity\)$"):
            registry.index([*CHECKS, check])
