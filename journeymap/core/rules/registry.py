"""What a rule is: an id, a default severity and one function over the journey.

`@rule` only marks a function with its id and severity; the one list of rules, in their order, is
`CHECKS` in rules/__init__.py, from which `RULES` is built.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..findings import Gap, Severity
from ..model import Journey

Check = Callable[[Journey], Iterable[Gap]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    check: Check

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else ""


def rule(rule_id: str, severity: Severity) -> Callable[[Check], Check]:
    """Mark a check as the rule `rule_id` with its default severity; listing it in CHECKS makes it run."""

    def mark(check: Check) -> Check:
        check.rule = Rule(rule_id, severity, check)  # type: ignore[attr-defined]
        return check

    return mark


def rule_of(check: Check) -> Rule | None:
    """The rule a check was marked as, or None for a function that is no rule."""
    marked = getattr(check, "rule", None)
    return marked if isinstance(marked, Rule) else None


def index(checks: Iterable[Check]) -> dict[str, Rule]:
    """Id → rule, in the order of `checks`; a check not marked as a rule, or an id used twice, is refused."""
    rules: dict[str, Rule] = {}
    for check in checks:
        marked = rule_of(check)
        if marked is None:
            raise ValueError(f"{check.__qualname__} is listed as a rule but has no @rule(id, severity)")
        if marked.id in rules:
            raise ValueError(f"rule {marked.id} registered twice")
        rules[marked.id] = marked
    return rules
