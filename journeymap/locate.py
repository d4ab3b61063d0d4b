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

from .load import MapNotFound

MAP_FOLDER = "journey"


def locate_map(source: str | Path | None, example: bool = False, command: str = "check") -> Path:
    """SOURCE (or the `journey/` map inside it, or the map a file of it belongs to), else the map where one stands."""
    if example:
        if source is not None:
            raise MapNotFound("give either a map folder or --example, not both")
        from .resources import example_map

        return example_map()
    if source is not None:
        return _map_of_file(Path(source)) if Path(source).is_file() else _inner_map(Path(source))
    for folder in _folders_up_from(Path(".")):
        if (folder / "journey.yaml").is_file():
            return folder
        if (folder / MAP_FOLDER / "journey.yaml").is_file():
            return folder / MAP_FOLDER
    raise MapNotFound(f"no map here: neither ./journey.yaml nor ./{MAP_FOLDER}/journey.yaml exists, here or in a "
                      f"folder above this one in its git repository. Give the map folder (`journeymap {command} "
                      "path/to/map`), start one with `journeymap init`, or try the bundled example with `--example`")


def _folders_up_from(here: Path) -> list[Path]:
    """`here`, then each folder above it up to the top of its git repository; just `here` outside one."""
    absolute = here.resolve()
    for depth, folder in enumerate([absolute, *absolute.parents]):
        if (folder / ".git").exists():
            return [here, *(here / ("../" * up) for up in range(1, depth + 1))]
    return [here]


def _map_of_file(file: Path) -> Path:
    """A file given as SOURCE means the map it belongs to: the nearest folder above it with a journey.yaml."""
    if file.name in ("journey.yaml", "owners.yaml", "owners.yml"):
        return _inner_map(file.parent)
    for folder in file.resolve().parents:
        if (folder / "journey.yaml").is_file():
            return Path(os.path.relpath(folder))
    raise MapNotFound(f"{file} is not part of a map: no folder above it holds a journey.yaml. Give the map's "
                      "folder instead")


def _inner_map(folder: Path) -> Path:
    """A repository root that holds `journey/` means that map, not a portfolio of one."""
    if (folder / "journey.yaml").is_file():
        return folder
    inner = folder / MAP_FOLDER
    if (inner / "journey.yaml").is_file() and not any(
            p != inner and (p / "journey.yaml").is_file() for p in folder.iterdir() if p.is_dir()):
        return inner
    return folder
