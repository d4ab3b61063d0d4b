"""Which map a command means: the folder given, else the map where the person stands.

A CI job pointed at the wrong folder must fail, not check something else: there is
no silent fallback to the bundled example; it is one flag away (`--example`).
"""

from __future__ import annotations

from pathlib import Path

from .load import MapNotFound

MAP_FOLDER = "journey"


def locate_map(source: str | Path | None, example: bool = False) -> Path:
    """SOURCE (or the `journey/` map inside it), else `./journey.yaml`'s folder, else `./journey/`."""
    if example:
        if source is not None:
            raise MapNotFound("give either a map folder or --example, not both")
        from .resources import example_map

        return example_map()
    if source is not None:
        return _inner_map(Path(source))
    here = Path(".")
    if (here / "journey.yaml").is_file():
        return here
    if (here / MAP_FOLDER / "journey.yaml").is_file():
        return here / MAP_FOLDER
    raise MapNotFound(f"no map here: neither ./journey.yaml nor ./{MAP_FOLDER}/journey.yaml exists. "
                      "Give the map folder (`journeymap check path/to/map`), start one with "
                      "`journeymap init`, or try the bundled example with `--example`")


def _inner_map(folder: Path) -> Path:
    """A repository root that holds `journey/` means that map, not a portfolio of one."""
    if (folder / "journey.yaml").is_file():
        return folder
    inner = folder / MAP_FOLDER
    if (inner / "journey.yaml").is_file() and not any(
            p != inner and (p / "journey.yaml").is_file() for p in folder.iterdir() if p.is_dir()):
        return inner
    return folder
