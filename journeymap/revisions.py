"""A map as it was at a git revision, read from git's objects alone.

`diff` never checks anything out: the working tree and the index stay as the
person left them. The map's files at a revision are copied from the object
store into a scratch folder, where the ordinary loader reads them, line
numbers and all.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .findings import Location

if TYPE_CHECKING:
    from .check import Checked


class RevisionProblem(Exception):
    """git cannot answer: not a repository, an unknown revision, no git at all."""


@dataclass(frozen=True)
class MapInGit:
    """Where a map folder sits in its repository."""

    repository: Path
    path: str  # the map folder from the repository root, with forward slashes; "" for the root itself

    def file(self, relative: str) -> str:
        """A map file's path from the repository root."""
        return "/".join(part for part in (self.path, relative) if part)


def locate_in_git(folder: Path) -> MapInGit:
    """The repository that holds `folder` (which need not exist in the working tree)."""
    folder = Path(folder).absolute()
    existing = next((p for p in (folder, *folder.parents) if p.is_dir()), Path("/"))
    top = _git(existing, "rev-parse", "--show-toplevel", problem=f"{folder} is not inside a git repository: "
               "`diff` compares revisions of a map kept in git (run it inside the repository's working tree)")
    repository = Path(top.strip()).resolve()
    try:
        path = folder.resolve().relative_to(repository).as_posix()
    except ValueError as error:
        raise RevisionProblem(f"{folder} is outside the repository at {repository}") from error
    return MapInGit(repository, "" if path == "." else path)


def commit_of(where: MapInGit, revision: str) -> str:
    """The full commit id a revision names (a branch, tag, `HEAD~1`, a sha)."""
    if revision.startswith("-"):
        raise RevisionProblem(f"`{revision}` is not a revision: give a branch, tag or commit")
    return _git(where.repository, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}",
                problem=f"unknown revision `{revision}` in {where.repository}: give a branch, tag or commit "
                        "that exists here (in CI, fetch it first: `git fetch origin main` or "
                        "`actions/checkout` with `fetch-depth: 0`)").strip()


def export_map(where: MapInGit, commit: str, destination: Path) -> int:
    """Write the map folder's files at `commit` into `destination`; returns how many (0: no map there)."""
    listing = _git(where.repository, "ls-tree", "-r", "-z", "--full-tree", commit, "--", where.path or ".",
                   problem=f"cannot list the files of {commit[:12]}")
    blobs = []
    for entry in filter(None, listing.split("\0")):
        meta, _, path = entry.partition("\t")
        mode, kind, sha = meta.split()
        if kind == "blob" and mode in ("100644", "100755"):  # symlinks and submodules are not map files
            relative = path[len(where.path) + 1:] if where.path else path
            blobs.append((sha, relative))
    contents = _cat_blobs(where.repository, [sha for sha, _ in blobs])
    for (_, relative), content in zip(blobs, contents, strict=True):
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return len(blobs)


def _cat_blobs(repository: Path, shas: list[str]) -> list[bytes]:
    """Every blob in one `git cat-file --batch` call: one process however large the map."""
    if not shas:
        return []
    output = subprocess.run(["git", "-C", str(repository), "cat-file", "--batch"], input="\n".join(shas).encode()
                            + b"\n", capture_output=True, check=True).stdout
    contents, position = [], 0
    for _ in shas:
        header_end = output.index(b"\n", position)
        size = int(output[position:header_end].split()[2])
        contents.append(output[header_end + 1:header_end + 1 + size])
        position = header_end + 1 + size + 1
    return contents


def _git(cwd: Path, *args: str, problem: str) -> str:
    try:
        result = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True)
    except FileNotFoundError as error:
        raise RevisionProblem("git is not installed: `diff` reads revisions with git") from error
    if result.returncode != 0:
        raise RevisionProblem(problem)
    return result.stdout


def checked_at(where: MapInGit, commit: str) -> Checked | None:
    """The map as it was at `commit`, checked; None when the commit has no map at that path."""
    import tempfile

    from .check import check_map
    from .load import MapNotFound

    with tempfile.TemporaryDirectory(prefix="journeymap-rev-") as scratch:
        root = Path(scratch) / (Path(where.path).name or "map")
        if not export_map(where, commit, root):
            return None
        try:
            return check_map(root, use_cache=False)  # a scratch copy: nothing to keep
        except MapNotFound:
            return None


def linker(repo_url: str, where: MapInGit, base: str, head: str | None) -> Callable[[Location, bool], str | None]:
    """Links to a line at the head revision (or the base, for what was removed), when repo_url is set."""
    def link(location: Location, at_base: bool) -> str | None:
        commit = base if at_base else head
        if not repo_url or commit is None:
            return None
        anchor = f"#L{location.line}" if location.line else ""
        return f"{repo_url.rstrip('/')}/blob/{commit}/{where.file(location.file)}{anchor}"

    return link
