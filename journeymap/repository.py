"""Where a map folder sits in its git repository: for annotations and "edit on GitHub" links."""

from __future__ import annotations

from pathlib import Path


def path_in_repository(root: Path) -> Path:
    """The map folder relative to the enclosing git repository (or the working directory)."""
    root = root.resolve()
    for candidate in (root, *root.parents):
        if (candidate / ".git").exists():
            return root.relative_to(candidate)
    try:
        return root.relative_to(Path.cwd().resolve())
    except ValueError:
        return Path(root.name)


def repository_file(root: Path, file: str, folder: str | None = None) -> str:
    """A map file's path from the repository root, with forward slashes ("" = the map folder itself).

    `folder` is `path_in_repository(root)` when the caller already knows it."""
    folder = path_in_repository(root).as_posix() if folder is None else folder
    return "/".join(part for part in ("" if folder == "." else folder, file) if part)
