"""What sits in a map folder that journeymap does not read: a misnamed folder, a stray file.

`stage/` instead of `stages/`, a `Briefs/` folder or `stages/notes.txt` are
silently skipped by a reader that only looks for the names it knows; a
newcomer then sees the map lose its briefs without a word. Each is reported
(`unknown-file`) with the name it probably should have.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ...util.suggest import closest
from ..findings import Location

#: the folders of a map and the file endings each reads
FOLDERS = {"stages": (".yaml", ".yml"), "experiments": (".yaml", ".yml"), "briefs": (".md",),
           "evidence": (".md",)}
#: files at the top of a map folder
TOP_FILES = ("journey.yaml", "owners.yaml", "personas.yaml")
#: folders that belong beside the map's own: user templates, images (journey.yaml's `logo`), and what tools
#: and editors leave
KNOWN_OTHERS = {"templates", "assets", "node_modules", "__pycache__", "output", "site"}


def strays(root: Path, prefix: str = "") -> tuple[list[tuple[Location, str]], set[str]]:
    """(place, message) for each stray, and the map folders that are missing but have a near namesake."""
    found: list[tuple[Location, str]] = []
    misnamed: set[str] = set()
    for entry in sorted(root.iterdir()):
        name = entry.name
        if name.startswith(".") or name in FOLDERS or name in KNOWN_OTHERS:
            continue
        if entry.is_dir():
            wanted = _near(name, FOLDERS)
            if wanted:
                found.append((Location(f"{prefix}{name}/"), _folder_message(name, wanted, root)))
                if not (root / wanted).is_dir():
                    misnamed.add(f"{wanted}/")
        elif entry.suffix in (".yaml", ".yml") and name not in TOP_FILES and entry.stem not in ("owners", "personas"):
            wanted = _near(entry.stem, [Path(f).stem for f in TOP_FILES])
            hint = f"rename it to {wanted}.yaml" if wanted else (
                "stage files go in stages/, experiments in experiments/")
            found.append((Location(f"{prefix}{name}", None, None), f"`{name}` is not a map file and is not read: "
                                                                    f"{hint}"))
    for folder, endings in FOLDERS.items():
        if (root / folder).is_dir():
            found += _strays_in(root / folder, f"{prefix}{folder}/", endings)
    return found, misnamed


def _strays_in(folder: Path, relative: str, endings: tuple[str, ...]) -> list[tuple[Location, str]]:
    found = []
    kind = relative.rstrip("/").split("/")[-1]
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            found.append((Location(f"{relative}{entry.name}/"), f"`{relative}{entry.name}/` is a folder inside "
                                                                 f"{kind}/ and is not read: put its files directly "
                                                                 f"in {kind}/"))
        elif entry.suffix not in endings:
            proper = f"{entry.stem}{endings[0]}"
            found.append((Location(f"{relative}{entry.name}"), f"`{relative}{entry.name}` is not read: files in "
                                                               f"{kind}/ end in {' or '.join(endings)}; rename it "
                                                               f"to {relative}{proper} if it belongs to the map"))
    return found


def _near(name: str, choices: Iterable[str]) -> str | None:
    """The expected name a stray is closest to: the same but for case or a plural `s`, else a near spelling."""
    options = list(choices)
    lowered = name.lower()
    for option in options:
        if lowered == option or lowered.rstrip("s") == option.rstrip("s"):
            return option
    return closest(lowered, options)


def _folder_message(name: str, wanted: str, root: Path) -> str:
    if (root / wanted).is_dir():
        return f"`{name}/` is not read (the map's folder is `{wanted}/`): move its files into {wanted}/"
    return f"`{name}/` is not read: the map's folder is `{wanted}/`; rename `{name}/` to `{wanted}/`"
