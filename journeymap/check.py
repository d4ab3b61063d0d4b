"""The pipeline up to findings: load → validate → model → rules, for one journey or a portfolio."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .findings import Finding
from .load import Folder, Problem, find_journeys, load_folder, load_shared_owners
from .model import Journey, build_journey
from .schema import validate


@dataclass
class Checked:
    root: Path
    journeys: list[Journey]  # one, or each journey of a portfolio
    findings: list[Finding]
    files_checked: int
    is_portfolio: bool = False

    @property
    def journey(self) -> Journey:
        return self.journeys[0]

    def findings_of(self, journey: Journey) -> list[Finding]:
        """A journey's own findings, and those in files it shares (the portfolio's owners.yaml)."""
        return [f for f in self.findings if f.location.file.startswith(journey.prefix) or "/" not in f.location.file]


def check_map(root: Path) -> Checked:
    """Check the map (or portfolio) at `root`; raises MapNotFound when it is neither."""
    from . import rules

    root = Path(root)
    folders = find_journeys(root)
    portfolio = folders != [root]
    shared, shared_problems, has_shared = load_shared_owners(root) if portfolio else (None, [], False)
    if shared is not None:
        shared_problems += validate(shared, rules.rule_ids())
    journeys: list[Journey] = []
    files = 1 if has_shared else 0
    for folder_path in folders:
        prefix = f"{folder_path.name}/" if portfolio else ""
        folder = load_folder(folder_path, prefix, shared_owners=has_shared)
        for document in folder.documents:
            folder.problems.extend(validate(document, rules.rule_ids()))
        files += len(folder.documents) + len(folder.unreadable)
        journeys.append(build_journey(_with_shared(folder, shared_problems, has_shared and shared is None),
                                      [shared] if shared is not None else [], prefix))
    journeys = _aware_of_each_other(journeys)
    findings = [f for journey in journeys for f in rules.find_gaps(journey)]
    unique = sorted(dict.fromkeys(findings), key=Finding.sort_key)  # shared files are checked once per journey
    return Checked(root, journeys, unique, files, portfolio)


def _with_shared(folder: Folder, shared_problems: list[Problem], shared_unreadable: bool) -> Folder:
    unreadable = folder.unreadable | ({"owners.yaml"} if shared_unreadable else set())
    return replace(folder, problems=[*shared_problems, *folder.problems], unreadable=unreadable)


def _aware_of_each_other(journeys: list[Journey]) -> list[Journey]:
    """idle-owner looks across the whole portfolio: tell each journey which owners the others use."""
    used = [frozenset(t.owner for t in journey.touchpoints if t.owner) for journey in journeys]
    for index, journey in enumerate(journeys):
        journey.owners_used_elsewhere = frozenset().union(*(u for i, u in enumerate(used) if i != index))
    return journeys
