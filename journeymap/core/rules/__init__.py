"""Every rule of the format (docs/format.md), one small module per concern."""

from __future__ import annotations

from ..findings import Finding, Severity
from ..model import Journey
from . import files, ids, metrics, ownership, references, review, stages, urls
from .registry import Check, Rule, index, rule

__all__ = ["CHECKS", "RULES", "Rule", "rule", "find_gaps", "get", "rule_ids"]

#: every rule, in the format's table order (docs/format.md), which `journeymap rules`, the schema's `checks:`
#: and the reports follow. A new rule is written with `@rule` and listed here.
CHECKS: tuple[Check, ...] = (
    files.invalid_yaml, files.duplicate_key, files.schema, ids.invalid_id, ids.duplicate_id,
    ownership.unowned_touchpoint, ownership.unknown_owner, references.unknown_stage, references.unknown_reference,
    metrics.missing_metric, stages.missing_job, stages.empty_stage, references.orphan_stage, stages.unbriefed_stage,
    ownership.high_intent_no_sla, ownership.handoff_gap, stages.no_evidence, review.stale_review,
    ownership.idle_owner, metrics.weakest_link, files.outside_link, files.unknown_file, metrics.unmeasured_metric,
    urls.unsafe_url,
)
#: id → rule, in the order of CHECKS
RULES: dict[str, Rule] = index(CHECKS)


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
