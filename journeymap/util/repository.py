"""Where a map folder sits in its git repository: for annotations and "edit on GitHub" links."""

from __future__ import annotations

from pathlib import Path


def repository_top(folder: Path) -> Path | None:
    """The nearest of `folder` and the folders above it that has a `.git` (a folder, or a worktree's file).

    Asked of the disk, without running git, and of the path as given: a caller that must not
    follow links (finding the map one stands in) passes it unresolved, one that compares real
    places resolves it first."""
    return next((candidate for candidate in (folder, *folder.parents) if (candidate / ".git").exists()), None)


def enclosing_repository(root: Path) -> Path | None:
    """The git working tree that holds `root`, links resolved, if any."""
    return repository_top(root.resolve())


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


def join_repository_path(folder: str, file: str) -> str:
    """A file of the folder as a path from the repository root, with forward slashes: "" or "." for the
    root itself, "" for the folder itself."""
    return "/".join(part for part in ("" if folder == "." else folder, file) if part)


def repository_file(root: Path, file: str, folder: str | None = None) -> str:
    """A map file's path from the repository root, with forward slashes ("" = the map folder itself).

    `folder` is `path_in_repository(root)` when the caller already knows it."""
    return join_repository_path(path_in_repository(root).as_posix() if folder is None else folder, file)


def repository_url(repo_url: str, view: str, ref: str, path: str, line: int | None = None) -> str:
    """A file on the repository's web UI (GitHub's layout: `view` is blob to read it, edit to change it),
    at `ref`, at its line when there is one."""
    anchor = f"#L{line}" if line else ""
    return f"{repo_url}/{view}/{ref}/{path}{anchor}"
