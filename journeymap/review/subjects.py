"""What a finding is about (a touchpoint, a stage, a brief), so it can be followed across commits.

Line numbers move when a block moves; the touchpoint it concerns does not. A
pull-request diff matches findings by rule and subject, and SARIF fingerprints
are made from the same key, so code scanning keeps one alert per real gap.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from ..core.findings import Finding, Location
from ..core.model import ITEM_KINDS, Journey, Origin

#: "first at line 14", "at stages/pain.yaml:15:5": places that move with the layout, not with the gap
_LINE_REFERENCE = re.compile(r"\blines? \d+(?:[-–]\d+)?|(?:(?<=\.yaml)|(?<=\.yml)|(?<=\.md))(?::\d+)+")


class Subjects:
    """Every identified item of one or more journeys, by the lines it occupies in its file."""

    def __init__(self, journeys: Iterable[Journey]) -> None:
        self._spans: dict[str, list[tuple[int, int, int, str]]] = {}
        for journey in journeys:
            for label, origin in _items(journey):
                first, last = origin.span()
                self._spans.setdefault(origin.file, []).append((len(origin.path), first, last, label))
        for spans in self._spans.values():
            spans.sort(reverse=True)  # the most deeply nested item first

    def of(self, location: Location) -> str:
        """The innermost item written at `location`, or the file itself."""
        if location.line is not None:
            for _, first, last, label in self._spans.get(location.file, []):
                if first <= location.line <= last:
                    return label
        return f"file {location.file}"

    def key(self, finding: Finding) -> tuple[str, str, str]:
        """Rule, subject and message with its line references taken out: stable when only layout changes."""
        return finding.rule, self.of(finding.location), _LINE_REFERENCE.sub("…", finding.message)

    def fingerprint(self, finding: Finding) -> str:
        return hashlib.sha256("\x1f".join(self.key(finding)).encode()).hexdigest()[:32]


def _items(journey: Journey) -> Iterable[tuple[str, Origin]]:
    within = f"{journey.slug}: " if journey.slug else ""
    for kind in ITEM_KINDS:
        for item_id, _, origin in journey.items(kind):
            if kind == "journey":
                yield f"{within}journey", origin
            else:  # owners may be shared by every journey of a portfolio: named without it
                yield f"{'' if kind == 'owner' else within}{kind} {item_id}", origin
