"""Where the bundled example map and templates live, in a checkout or an installed package."""

from __future__ import annotations

from pathlib import Path

#: the journeymap package folder (this module is in its util/)
PACKAGE = Path(__file__).resolve().parent.parent


def _bundled(name: str, checkout_name: str) -> Path:
    """Installed wheels carry the folder inside the package; a checkout has it at the top."""
    inside = PACKAGE / name
    if inside.is_dir():
        return inside
    return PACKAGE.parent / checkout_name


def example_map() -> Path:
    return _bundled("example", "journey")


def templates_dir() -> Path:
    return _bundled("templates", "templates")
