"""A map as it was at a git revision, read from git's objects alone.

`diff` never checks anything out: the working tree and the index stay as the
person left them. The map's files at a revision are copied from the object
store into a scratch folder, where the ordinary loader reads them, line
numbers and all.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ..core.findings import Location
from ..core.load import MAX_FILE_BYTES
from ..util.errors import JourneymapError
from ..util.inside import Outside, join_inside
from ..util.repository import join_repository_path, repository_url

if TYPE_CHECKING:
    from ..core.check import Checked
    from .diff import MapDiff

#: where a change is, as a URL (None: no link); `at_base` for places in the base revision
Linker = Callable[[Location, bool], "str | None"]


class RevisionProblem(JourneymapError):
    """git cannot answer: not a repository, an unknown revision, no git at all."""


@dataclass(frozen=True)
class MapInGit:
    """Where a map folder sits in its repository."""

    repository: Path
    path: str  # the map folder from the repository root, with forward slashes; "" for the root itself

    def file(self, relative: str) -> str:
        """A map file's path from the repository root."""
        return join_repository_path(self.path, relative)


def locate_in_git(folder: Path) -> MapInGit:
    """The repository that holds `folder` (which need not exist in the working tree).

    Asked of git, not found by its `.git` as util.repository does: every path `diff` gives git
    afterwards must be relative to the top git itself reports (GIT_DIR, GIT_WORK_TREE, a
    submodule, a worktree all move it), and a missing git must be said before anything else."""
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
    """Write the map folder's files at `commit` into `destination`; returns how many (0: no map there).

    Trees come from whoever pushed the branch: a path that leads out of `destination` (a tree entry
    named `..`) is refused before anything is written, and a blob larger than any map file is not
    read at all; it becomes a file of that size holding nothing, which the loader refuses as it
    refuses any file too large, without reading it."""
    blobs = _map_blobs(where, commit)
    targets = [_target(destination, relative, commit) for _, _, relative in blobs]
    small = [(sha, target) for (sha, size, _), target in zip(blobs, targets, strict=True) if size <= MAX_FILE_BYTES]
    try:
        for (_, size, _), target in zip(blobs, targets, strict=True):
            target.parent.mkdir(parents=True, exist_ok=True)
            if size > MAX_FILE_BYTES:
                _placeholder(target, size)
        _cat_blobs(where.repository, small)
    except OSError as error:  # a hand-made tree: the same name twice, a file where a folder should be
        raise RevisionProblem(f"cannot copy the map of commit {commit[:12]} out of git ({error}): "
                              "its tree was not made by git add/commit; ask for the branch to be pushed "
                              "again from an ordinary commit") from error
    return len(blobs)


def _map_blobs(where: MapInGit, commit: str) -> list[tuple[str, int, str]]:
    """(sha, size, path relative to the map folder) of each regular file: sizes from the tree, nothing read."""
    listing = _git(where.repository, "ls-tree", "-r", "-l", "-z", "--full-tree", commit, "--", where.path or ".",
                   problem=f"cannot list the files of {commit[:12]}")
    blobs = []
    for entry in filter(None, listing.split("\0")):
        meta, _, path = entry.partition("\t")
        mode, kind, sha, size = meta.split()
        if kind == "blob" and mode in ("100644", "100755"):  # symlinks and submodules are not map files
            relative = path[len(where.path) + 1:] if where.path else path
            blobs.append((sha, int(size), relative))
    return blobs


def _target(destination: Path, relative: str, commit: str) -> Path:
    try:
        return join_inside(destination, relative)
    except Outside as error:
        raise RevisionProblem(f"commit {commit[:12]} holds `{relative}`, a path that leads out of the map "
                              "folder; nothing was written: no map file is named `..`, so the "
                              "branch was made by hand to reach files outside; do not review it with "
                              "journeymap, and report it") from error


def _placeholder(target: Path, size: int) -> None:
    """A file of `size` bytes that takes no space (a sparse file): its size is all the loader looks at."""
    with open(target, "xb") as file:
        file.truncate(size)


def _cat_blobs(repository: Path, blobs: list[tuple[str, Path]]) -> None:
    """Every blob into its file in one `git cat-file --batch` call: one process however large the map,
    and one blob in memory at a time."""
    if not blobs:
        return
    with tempfile.TemporaryFile() as request:
        request.write("".join(f"{sha}\n" for sha, _ in blobs).encode())
        request.seek(0)
        with subprocess.Popen(["git", "-C", str(repository), "cat-file", "--batch"], stdin=request,
                              stdout=subprocess.PIPE) as git:
            assert git.stdout is not None
            try:
                for sha, target in blobs:
                    _copy_blob(git.stdout, sha, target)
            finally:
                git.kill()  # done, or given up: either way it must not wait on a pipe no one reads


def _copy_blob(stream: IO[bytes], sha: str, target: Path) -> None:
    """The next blob of a `cat-file --batch` stream into `target`."""
    header = stream.readline().split()
    if len(header) != 3:  # `<sha> missing`: a partial clone that has the tree but not the blob
        raise RevisionProblem(f"git has no object {sha} (needed for {target.name}): fetch the branch in "
                              "full (`git fetch --unshallow`, or no --filter)")
    with open(target, "xb") as file:
        file.write(stream.read(int(header[2])))
    stream.read(1)  # the newline after each blob


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
    from ..core.check import check_map
    from ..core.load import MapNotFound

    with tempfile.TemporaryDirectory(prefix="journeymap-rev-") as scratch:
        root = Path(scratch) / (Path(where.path).name or "map")
        if not export_map(where, commit, root):
            return None
        try:
            return check_map(root, use_cache=False)  # a scratch copy: nothing to keep
        except MapNotFound:
            return None


def linker(repo_url: str, where: MapInGit, base: str, head: str | None) -> Linker:
    """Links to a line at the head revision (or the base, for what was removed), when repo_url is set."""
    def link(location: Location, at_base: bool) -> str | None:
        commit = base if at_base else head
        if not repo_url or commit is None:
            return None
        return repository_url(repo_url.rstrip("/"), "blob", commit, where.file(location.file), location.line)

    return link


@dataclass(frozen=True)
class Reviewed:
    """A change in journey terms, as `diff` prints it: the comparison, and links to the lines it names."""

    diff: MapDiff
    link: Linker


def review_change(folder: Path, base_revision: str, head_revision: str | None, repo_url: str | None) -> Reviewed:
    """The map in `folder` at `base_revision` compared with `head_revision` (None: the working tree).

    diff.py reads revisions through this module, so it is imported here, where both are needed."""
    from ..core.check import check_map
    from ..core.load import MapNotFound
    from .diff import compare, templates_changed

    where = locate_in_git(folder)
    base_commit = commit_of(where, base_revision)
    head_commit = commit_of(where, head_revision) if head_revision else None
    base = checked_at(where, base_commit)
    head = checked_at(where, head_commit) if head_commit else check_map(folder)
    if head is None:
        raise MapNotFound(f"no map at {where.file('') or 'the repository root'} in `{head_revision}`: "
                          "give the folder that holds journey.yaml at both revisions")
    templates = templates_changed(where, base_commit, head_commit, base, head)
    result = compare(base, head)
    result.templates = templates
    result.labels = {"base": _short(base_revision), "head": _short(head_revision) if head_revision else "working tree"}
    link = linker(repo_url if repo_url is not None else head.journey.repo_url, where, base_commit, head_commit)
    return Reviewed(result, link)


def _short(revision: str) -> str:
    """A full commit id is shortened as git shows it; a branch or tag name stays as given."""
    return revision[:7] if len(revision) == 40 and all(c in "0123456789abcdef" for c in revision) else revision
