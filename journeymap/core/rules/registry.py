"""The rule registry: a rule is an id, a default severity and one function over the journey."""

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


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity) -> Callable[[Check], Check]:
    """Register a check under its stable id, as a linter registers its rules."""

    def register(check: Check) -> Check:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, severity, check)
        return check

    return register
