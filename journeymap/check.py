"""The pipeline up to findings: load → validate → model → rules."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .findings import Finding
from .load import load_folder
from .model import Journey, build_journey
from .schema import validate


@dataclass
class Checked:
    root: Path
    journey: Journey
    findings: list[Finding]
    files_checked: int


def check_map(root: Path) -> Checked:
    """Check the map folder at `root`; raises MapNotFound when it is not a map."""
    from . import rules

    folder = load_folder(root)
    rule_ids = rules.rule_ids()
    for document in folder.documents:
        folder.problems.extend(validate(document, rule_ids))
    journey = build_journey(folder)
    files = len(folder.documents) + len(folder.unreadable)
    return Checked(Path(root), journey, rules.find_gaps(journey), files)
