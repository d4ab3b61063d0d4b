"""Where the bundled example map and templates live, in a checkout or an installed package."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str, checkout_name: str) -> Path:
    """Installed wheels carry the folder inside the package; a checkout has it at the top."""
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / checkout_name


def example_map() -> Path:
    return _bundled("example", "journey")


def templates_dir() -> Path:
    return _bundled("templates", "templates")


def scaffold_dir() -> Path:
    """What `journeymap init` copies: always inside the package."""
    return _PACKAGE / "scaffold"
