"""Where a map folder sits in its git repository: for annotations and "edit on GitHub" links."""

from __future__ import annotations

from pathlib import Path


def enclosing_repository(root: Path) -> Path | None:
    """The git working tree that holds `root` (found by its `.git`, without running git), if any."""
    root = root.resolve()
    return next((candidate for candidate in (root, *root.parents) if (candidate / ".git").exists()), None)


def path_in_repository(root: Path) -> Path:
    """The map folder relative to the enclosing git repository (or the working directory)."""
    root = root.resolve()
    repository = enclosing_repository(root)
    if repository is not None:
        return root.relative_to(repository)
    try:
        return root.relative_to(Path.cwd().resolve())
    except ValueError:
        return Path(root.name)


def repository_file(root: Path, file: str, folder: str | None = None) -> str:
    """A map file's path from the repository root, with forward slashes ("" = the map folder itself).

    `folder` is `path_in_repository(root)` when the caller already knows it."""
    folder = path_in_repository(root).as_posix() if folder is None else folder
    return "/".join(part for part in ("" if folder == "." else folder, file) if part)
