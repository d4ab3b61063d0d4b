"""Joining a path someone else chose (a git tree entry, a map file, a page) to the folder it must stay in.

A pull request controls the names in its git trees, and git's object store accepts a tree entry
named `..`; a folder being written into may hold a symbolic link, dangling or not, to anywhere.
Every such join goes through `join_inside`, so "nothing is written outside" is decided in one place.
"""

from __future__ import annotations

from pathlib import Path


class Outside(ValueError):
    """A path that leads out of its folder: `..`, an absolute path, or a link on the way."""


def join_inside(root: Path, relative: str) -> Path:
    """`root / relative`, or Outside when the result could lie anywhere but under `root`.

    Refused: an empty, `.` or `..` part, an absolute path, and a symbolic link at any step below
    `root` (existing or dangling: what it points at can change after any check, so no link is
    followed at all)."""
    parts = relative.replace("\\", "/").split("/")  # `\` is a separator on Windows
    if relative.startswith(("/", "\\")) or any(part in ("", ".", "..") for part in parts):
        raise Outside(f"`{relative}` leads out of {root}")
    path = Path(root)
    for part in relative.split("/"):
        path = path / part
        if path.is_symlink():
            raise Outside(f"{path} is a link to {path.readlink()}")
    return path
