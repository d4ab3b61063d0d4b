"""Every rule of the format (docs/format.md), one small module per concern."""

from __future__ import annotations

from ..findings import Finding, Severity
from ..model import Journey
from . import files, ids, metrics, ownership, references, review, stages, urls  # noqa: F401  (they register)
from .registry import RULES, Rule, rule

__all__ = ["RULES", "Rule", "rule", "find_gaps", "get", "rule_ids"]

#: the format's table order, which `journeymap rules` and the schema follow; new rules go after it
FORMAT_ORDER = ["invalid-yaml", "duplicate-key", "schema", "invalid-id", "duplicate-id", "unowned-touchpoint",
                "unknown-owner", "unknown-stage", "unknown-reference", "missing-metric", "missing-job",
                "empty-stage", "orphan-stage", "unbriefed-stage", "high-intent-no-sla", "handoff-gap",
                "no-evidence", "stale-review", "idle-owner", "weakest-link"]
_registered = dict(RULES)
RULES.clear()
RULES.update(sorted(_registered.items(),
                    key=lambda item: FORMAT_ORDER.index(item[0]) if item[0] in FORMAT_ORDER else len(FORMAT_ORDER)))


def rule_ids() -> list[str]:
    return list(RULES)


def get(rule_id: str) -> Rule | None:
    return RULES.get(rule_id)


def severity_for(rule: Rule, journey: Journey) -> Severity | None:
    """The map's `checks:` override wins over the default; `off` disables the rule."""
    level = journey.checks.get(rule.id)
    if level is None:
        return rule.severity
    return None if level == "off" else Severity(level)


def find_gaps(journey: Journey) -> list[Finding]:
    findings = []
    for rule_ in RULES.values():
        severity = severity_for(rule_, journey)
        if severity is None:
            continue
        for gap in rule_.check(journey):
            findings.append(Finding(rule_.id, severity, gap.location, gap.message, gap.fix))
    return sorted(findings, key=Finding.sort_key)
