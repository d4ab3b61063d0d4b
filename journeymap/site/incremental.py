"""Rebuild only what changed: a journey whose every input is as it was is taken from the last site.

A journey's pages are made from its own files, the shared owners.yaml, its findings
(which carry what other journeys contribute, such as an idle owner), the templates,
the day and journeymap's own code. A hash of all that, per journey, is written into
the site's marker file; the next build links the pages of a journey whose hash is
unchanged from the previous site instead of rendering them (a hard link: same bytes,
same modification time). Pages of a journey that did change are rendered, and those
that come out byte for byte as before keep their time too (writer.write_text).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..core.cache import code_version, digest
from ..core.check import Checked
from ..core.rules.review import today
from .logo import MAX_BYTES
from .writer import MARKER, link


def templates_digest(folders: list[Path]) -> str:
    """Every file of the template folders, by path and bytes: an edited template or asset rebuilds all."""
    parts: list[str | bytes] = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            parts += [str(path.relative_to(folder)), path.read_bytes()]
    return digest(*parts)


def keys(checked: Checked, templates: str) -> dict[str, str]:
    """A key per part of the site: each journey by its prefix, and a portfolio's own pages by ""."""
    common = (code_version(), templates, today().isoformat(), str(checked.root.resolve()), str(checked.is_portfolio))
    inputs: dict[str, list[str]] = {prefix: [] for prefix in checked.prefixes}
    for file, content in sorted(checked.inputs.items()):  # one pass, not one per journey: a portfolio has hundreds
        for prefix in checked.journeys_of(file):
            if prefix in inputs:
                inputs[prefix].append(f"{file}:{content}")
    keys = {prefix: digest(*common, prefix, *inputs[prefix], _images(checked.root / prefix), "findings",
                           *(f"{f.location.file}:{f!r}" for f in checked.findings_under(prefix)))
            for prefix in checked.prefixes}
    if checked.is_portfolio:  # the index, team pages and search draw on every journey
        keys[""] = digest(*common, *sorted(keys.values()))
    return keys


def _images(map_folder: Path) -> str:
    """The map's assets/ folder (its logo), which the check does not read but the site shows."""
    folder = map_folder / "assets"
    if not folder.is_dir() or folder.is_symlink():
        return ""
    return digest(*(f"{path.name}:{digest(path.read_bytes().hex())}" for path in sorted(folder.iterdir())
                    if path.is_file() and not path.is_symlink() and path.stat().st_size <= MAX_BYTES))


def marker(journeys: dict[str, tuple[str, list[str]]]) -> str:
    """The marker file's text: what wrote the folder, and each journey's key and the files written for it."""
    return json.dumps({"built_by": "journeymap; this folder is replaced on every build",
                       "journeys": {prefix: {"key": key, "files": files} for prefix, (key, files) in journeys.items()}},
                      indent=1, sort_keys=True) + "\n"


def previous_build(output: Path) -> dict[str, tuple[str, list[str]]]:
    """Each journey's key and files in the site at `output` (nothing when it has no marker, or an older one)."""
    try:
        journeys = json.loads((output / MARKER).read_text(encoding="utf-8"))["journeys"]
        return {str(prefix): (str(entry["key"]), [str(f) for f in entry["files"]])
                for prefix, entry in journeys.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def written(stage: Path, prefix: str, others: list[str]) -> list[str]:
    """The files of one journey in the stage, relative to its folder (`others`: the other journeys' folders)."""
    files = []
    for folder, subfolders, names in os.walk(stage / prefix):
        relative = Path(folder).relative_to(stage / prefix)
        if not prefix and not relative.parts:
            subfolders[:] = [s for s in subfolders if f"{s}/" not in others]
        files += [(relative / name).as_posix() for name in names if relative.parts or name != MARKER]
    return sorted(files)


def reuse(previous: Path, stage: Path, prefix: str, files: list[str]) -> bool:
    """Link the previous site's files of one part (`prefix`) into the stage; False when one is missing."""
    made: set[str] = set()
    source, target = os.path.join(previous, prefix), os.path.join(stage, prefix)  # strings: thousands of files
    for file in files:
        if ".." in file.split("/") or file.startswith("/"):
            return False
        folder = os.path.dirname(file)
        if folder not in made:
            os.makedirs(os.path.join(target, folder), exist_ok=True)
            made.add(folder)
        if not link(os.path.join(source, file), os.path.join(target, file)):
            return False
    return True
