"""Findings: what a check reports, and where, so a reviewer can jump to the line."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

#: The ids of the rules named outside their own rule: the loader and the schema make these findings before
#: any rule runs (rules/files.py reports them), and the model asks whether some rules are turned off.
INVALID_YAML = "invalid-yaml"
DUPLICATE_KEY = "duplicate-key"
SCHEMA = "schema"
OUTSIDE_LINK = "outside-link"
UNKNOWN_FILE = "unknown-file"
UNKNOWN_OWNER = "unknown-owner"
HANDOFF_GAP = "handoff-gap"
WEAKEST_LINK = "weakest-link"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True, order=True)
class Location:
    """A place in the map: `file` is relative to the map folder, with forward slashes.

    `line` and `column` are 1-based; `line` is None only for the map as a whole.
    """

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True)
class Fix:
    """A correction safe to make without a person: what `check --fix` applies.

    With a `line`, the first `old` on that line of the finding's file becomes
    `new` (one token: a key, a value, a line's indentation or quotes), so comments
    and layout stay. Without a line, the file is renamed to `new` (a path
    relative to the map folder).
    """

    line: int | None
    old: str
    new: str


@dataclass(frozen=True)
class Gap:
    """What a rule yields: a place and a message that says what to write instead."""

    location: Location
    message: str
    fix: Fix | None = None


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    location: Location
    message: str
    fix: Fix | None = None

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.file, loc.line or 0, loc.column or 0, self.severity.rank, self.rule)

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "message": self.message,
        }


def summarize(findings: list[Finding]) -> dict[str, int]:
    counts = {"errors": 0, "warnings": 0, "info": 0}
    key = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "info"}
    for finding in findings:
        counts[key[finding.severity]] += 1
    return counts


def fails(findings: list[Finding], strict: bool = False) -> bool:
    """Errors fail a check; under --strict, warnings do too. Info never does."""
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return any(f.severity in failing for f in findings)
