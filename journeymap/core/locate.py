"""Which map a command means: the folder given, else the map where the person stands.

A CI job pointed at the wrong folder must fail, not check something else: there is
no silent fallback to the bundled example; it is one flag away (`--example`). Like
git, a command run in a subfolder of the map (`stages/`) finds the map above it, but
never looks past the top of the git repository it stands in, nor above the current
folder outside one.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..util.repository import repository_top
from .load import MapNotFound

MAP_FOLDER = "journey"
#: the folder name a map's own templates conventionally have, inside the map folder or beside it
TEMPLATES_FOLDER = "templates"
#: journey.yaml's key that opts into a map's own templates
TEMPLATES_SETTING = "templates"


def locate_map(source: str | Path | None, example: bool = False, usage: str = "journeymap check path/to/map") -> Path:
    """SOURCE (or the `journey/` map inside it, or the map a file of it belongs to), else the map where one stands."""
    if example:
        if source is not None:
            raise MapNotFound("give either a map folder or --example, not both")
        from ..util.resources import example_map

        return example_map()
    if source is not None and not Path(source).is_file():
        return _inner_map(Path(source))
    found = _search(Path(source).parent if source is not None else Path("."))
    if found is not None:
        return found[1]
    if source is not None:
        raise MapNotFound(f"{source} is not part of a map: no folder above it, up to the top of its git repository "
                          "or the current folder, holds a journey.yaml. Give the map's folder instead")
    raise MapNotFound(f"no map here: neither ./journey.yaml nor ./{MAP_FOLDER}/journey.yaml exists here, nor, "
                      f"inside a git repository, in a folder above this one. Give the map folder (`{usage}`), "
                      "start one with `journeymap init`, or try the bundled example with `--example`")


def found_from(source: str | Path | None = None) -> Path:
    """Where `output/` goes: the folder the map was found from, when it was looked for (no SOURCE, or a file of the
    map); else the current folder, as for a map folder given by name."""
    if source is not None and not Path(source).is_file():
        return Path(".")
    found = _search(Path(source).parent if source is not None else Path("."))
    return found[0] if found is not None else Path(".")


def _search(start: Path) -> tuple[Path, Path] | None:
    """(the folder it was found from, the map): the nearest journey, portfolio or `journey/` at or above `start`.

    A journey of a portfolio means the portfolio, which holds the owners it shares.
    """
    folders = _upwards(start)
    for index, folder in enumerate(folders):
        if (folder / "journey.yaml").is_file():
            above = folders[index + 1] if index + 1 < len(folders) else None
            return (above, above) if above is not None and _is_portfolio(above) else (folder, folder)
        if (folder / MAP_FOLDER / "journey.yaml").is_file() or _is_portfolio(folder):
            return folder, _inner_map(folder)
    return None


def _upwards(start: Path) -> list[Path]:
    """`start` and the folders above it a map may be in: up to the top of its git repository; outside one, up to
    the current folder, or just `start` when that is not inside the current folder. Links are not followed."""
    chain = [Path(os.path.abspath(start)), *Path(os.path.abspath(start)).parents]
    repository = repository_top(chain[0])
    top = chain.index(repository) if repository is not None else None
    if top is None:
        here = Path(os.path.abspath("."))
        top = chain.index(here) if here in chain else 0
    return [Path(os.path.relpath(folder)) for folder in chain[:top + 1]]


def _is_portfolio(folder: Path) -> bool:
    """No journey.yaml of its own, journeys in its subfolders, and not just a repository's `journey/`."""
    try:
        return (not (folder / "journey.yaml").is_file() and _inner_map(folder) == folder
                and any((p / "journey.yaml").is_file() for p in folder.iterdir() if p.is_dir()))
    except OSError:  # a folder one may not list holds no map one can check
        return False


def _inner_map(folder: Path) -> Path:
    """A repository root that holds `journey/` means that map, not a portfolio of one."""
    if (folder / "journey.yaml").is_file():
        return folder
    inner = folder / MAP_FOLDER
    if (inner / "journey.yaml").is_file() and not any(
            p != inner and (p / "journey.yaml").is_file() for p in folder.iterdir() if p.is_dir()):
        return inner
    return folder
