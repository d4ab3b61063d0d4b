"""`journeymap init`: a map repository a team can push as it is, whose first check is its to-do list.

The scaffold lives as real files in `journeymap/authoring/scaffold/` (the map in
`journey/`, a README, the GitHub workflow, the pre-commit config, a .gitignore
for the built site); init copies them, writes today's date as the last review,
and adds the JSON Schemas the files' `$schema` comments point at. It never
overwrites a file, and never writes through a symbolic link.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ..core.load import KINDS
from ..util.errors import JourneymapError
from ..util.inside import Outside, join_inside

#: what `journeymap init` copies: always inside the package, beside this module
SCAFFOLD = Path(__file__).resolve().parent / "scaffold"


class InitRefused(JourneymapError):
    """The folder is not empty (without --force), is not a folder, or holds a link where a file would go."""


def init_map(target: Path, force: bool = False, today: dt.date | None = None) -> list[Path]:
    """Write the scaffold into `target`; returns the files written, in order. Existing files are kept."""
    from ..core import rules
    from ..core.schema import schema_for

    if target.exists() and not target.is_dir():
        raise InitRefused(f"{target} is a file: give a folder for the new map repository")
    if target.is_dir() and any(p.name != ".git" for p in target.iterdir()) and not force:
        raise InitRefused(f"{target} is not empty: give a new or empty folder, or --force to add the files "
                          "that are missing (no file is ever overwritten)")
    day = (today or dt.date.today()).isoformat()
    files: dict[Path, str] = {}
    source = SCAFFOLD
    for path in sorted(p for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        files[path.relative_to(source)] = path.read_text(encoding="utf-8").replace("__TODAY__", day)
    for kind in KINDS:
        schema = json.dumps(schema_for(kind, rules.rule_ids()), indent=2, ensure_ascii=False) + "\n"
        files[Path("schemas") / f"{kind}.schema.json"] = schema
    written = []
    for path, text in _targets(target, files):
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "x", encoding="utf-8") as file:  # "x": never through a link, never over a file
                file.write(text)
        except FileExistsError:
            continue
        written.append(path)
    return written


def _targets(target: Path, files: dict[Path, str]) -> list[tuple[Path, str]]:
    """Where each file goes, all checked before any is written: a link in the folder (dangling or not) is
    refused, since writing through it could put a file anywhere."""
    try:
        return [(join_inside(target, relative.as_posix()), text) for relative, text in files.items()]
    except Outside as error:
        raise InitRefused(f"{error}: init never writes through a link, which could lead out of {target}; "
                          "remove the link, or give a new folder; nothing was written") from error
