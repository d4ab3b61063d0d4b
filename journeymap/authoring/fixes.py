"""`check --fix`: make the corrections that need no person, as a person would make them.

Each fix changes one token on one line (a key, a value's quotes, an id, an
indent), or renames a file; every other byte of the file stays, comments and
layout included. What needs a judgement (which team owns a touchpoint, how fast
it must be answered) is left to a person and stays a finding.
"""

from __future__ import annotations

import difflib
import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.findings import Finding, Fix
from ..util.files import write_atomically

if TYPE_CHECKING:
    from ..core.check import Checked

#: enough for a fix that reveals another (a repaired syntax error shows a misspelt key), not a loop forever
MOST_ROUNDS = 5


@dataclass(frozen=True)
class Applied:
    file: str
    line: int | None
    old: str
    new: str
    rule: str

    def __str__(self) -> str:
        if self.line is None:
            return f"renamed {self.old} → {self.new} [{self.rule}]"
        if self.old.strip() == self.new.strip():  # only the indentation changed
            indent = len(self.new) - len(self.new.lstrip())
            return f"{self.file}:{self.line}: `{self.new.strip()}` indented with {indent} spaces [{self.rule}]"
        return f"{self.file}:{self.line}: `{self.old.strip()}` → `{self.new.strip()}` [{self.rule}]"


def fix_until_settled(checked: Checked, recheck: Callable[[], Checked]) -> tuple[Checked, list[Applied]]:
    """Apply the safe fixes and check again until none is left: the map as it ends up, and every fix made."""
    made: list[Applied] = []
    for _ in range(MOST_ROUNDS):
        edits, texts, renames = plan(checked.root, checked.findings)
        if not texts and not renames:
            break
        write(checked.root, texts, renames)
        made += [*edits, *renames]
        checked = recheck()
    return checked, made


def plan(root: Path, findings: list[Finding]) -> tuple[list[Applied], dict[str, tuple[str, str]], list[Applied]]:
    """What the fixes would do: the edits, each file's text before and after, and the renames."""
    by_file: dict[str, list[Finding]] = defaultdict(list)
    renames: list[Applied] = []
    for finding in findings:
        fix = finding.fix
        if fix is None:
            continue
        if fix.line is None:
            if not (root / fix.new).exists():
                renames.append(Applied(finding.location.file, None, fix.old, fix.new, finding.rule))
        else:
            by_file[finding.location.file].append(finding)
    edits: list[Applied] = []
    texts: dict[str, tuple[str, str]] = {}
    for file, found in by_file.items():
        before = (root / file).read_text(encoding="utf-8")
        lines = before.splitlines(keepends=True)
        for finding in found:
            applied = _edit(lines, finding.fix, finding)  # type: ignore[arg-type]
            if applied is not None:
                edits.append(applied)
        after = "".join(lines)
        if after != before:
            texts[file] = (before, after)
    return edits, texts, renames


def _edit(lines: list[str], fix: Fix, finding: Finding) -> Applied | None:
    index = (fix.line or 0) - 1
    if not 0 <= index < len(lines) or fix.old not in lines[index]:
        return None  # the line changed under us: leave it to the next run, or a person
    line = lines[index]
    colon = line.find(":") + 1 if not fix.old.endswith(":") else 0
    at = line.find(fix.old, colon) if line.find(fix.old, colon) >= 0 else line.find(fix.old)  # a value after its key
    lines[index] = line[:at] + fix.new + line[at + len(fix.old):]
    return Applied(finding.location.file, fix.line, fix.old, fix.new, finding.rule)


def diff(texts: dict[str, tuple[str, str]], renames: list[Applied]) -> str:
    parts: list[str] = []
    for file, (before, after) in sorted(texts.items()):
        parts.extend(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                          fromfile=f"a/{file}", tofile=f"b/{file}"))
    parts += [f"rename from {r.old}\nrename to {r.new}\n" for r in renames]
    return "".join(parts)


def write(root: Path, texts: dict[str, tuple[str, str]], renames: list[Applied]) -> None:
    """Each file replaced atomically (a reader never sees half an edit), then the renames."""
    for file, (_, after) in texts.items():
        target = root / file
        write_atomically(target, after.encode("utf-8"), mode=target.stat().st_mode & 0o777)
    for rename in renames:
        os.rename(root / rename.old, root / rename.new)
